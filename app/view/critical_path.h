#pragma once
// Critical path: why a task ended when it did. Walking backwards from the task's
// end through its runs, its queueing delays and the wakes that ended its waits
// (jumping to the waker's lane at the wake, and to the parent at a spawn) gives a
// list of contiguous segments, each one task doing one thing: running, queued
// (with an idle worker of its kind available — the scheduler's fault — or with
// every worker busy), or waiting on something nobody else ended (a timer, the end
// of the run). Go's trace tool and Perfetto do the same for threads; here the
// "unblocking" edges are the runtime's wakes.
//
// A breakdown sums segments by kind: the critical path's, or a task's own life
// (task_segments: every span of the task, split the same way).
//
// State: WorkerIdle holds, per worker role, the intervals in which some worker of
// that role existed and was not polling; it is built once from a finished model and
// then read-only. Everything else is a pure function of a finished RunModel. Plain
// C++, no Qt.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "run_model.h"
#include "spindle/instrument/summary_json.h"

namespace spindle::view {

/// What a task on a path (or in a life) is doing over a segment.
enum class SegmentKind : std::uint8_t {
    running,
    queued_idle,  ///< queued while a worker of its kind sat idle: the scheduler's fault
    queued_busy,  ///< queued while every worker of its kind was polling
    waiting,      ///< waiting on `target`, ended by nobody on the path (timer, run end)
};

/// What a waiting task waits on. Ids live in different spaces: a join waits on a
/// task, a sleep on a timer, everything else on a resource.
struct WaitTarget {
    WaitOp op = WaitOp::recv;
    std::uint32_t id = 0;  ///< resource, task (join) or timer (sleep); 0: nothing known
    bool is_task() const { return op == WaitOp::join; }
    bool is_timer() const { return op == WaitOp::sleep; }
    friend bool operator==(const WaitTarget&, const WaitTarget&) = default;
};

/// One piece of a path: `task` doing `kind` over [start, end).
struct PathSegment {
    TaskId task = 0;
    Time start = 0;
    Time end = 0;
    SegmentKind kind = SegmentKind::running;
    WaitTarget target;  ///< waiting: on what (op and id; id 0 when idle without a wait)
    friend bool operator==(const PathSegment&, const PathSegment&) = default;
};

/// Where the time went.
struct Breakdown {
    struct Wait {
        WaitTarget target;
        Time time = 0;
    };
    Time running = 0;
    Time queued_idle = 0;
    Time queued_busy = 0;
    std::vector<Wait> waits;  ///< per target, in order of first appearance
    Time waiting() const;
    Time total() const { return running + queued_idle + queued_busy + waiting(); }
};

/// The intervals in which a worker of each role (core, blocking, rayon) was free to poll
/// (Rayon threads of every pool together).
class WorkerIdle {
public:
    explicit WorkerIdle(const RunModel& model);
    /// Calls f(start, end, idle) for consecutive pieces of [a, b) that alternate
    /// between "some worker of `role` was idle" and "all were busy".
    template <class F>
    void split(WorkerRole role, Time a, Time b, F&& f) const {
        const std::vector<Span>& idle = m_idle[role == WorkerRole::blocking ? 1
                                               : role == WorkerRole::rayon  ? 2
                                                                            : 0];
        Time at = a;
        auto it = std::upper_bound(idle.begin(), idle.end(), a,
                                   [](Time t, const Span& s) { return t < s.end; });
        for (; it != idle.end(); ++it) {
            const Span& s = *it;
            if (s.start >= b) break;
            if (s.start > at) f(at, s.start, false);
            const Time e = std::min(s.end, b);
            f(std::max(s.start, at), e, true);
            at = e;
        }
        if (at < b) f(at, b, false);
    }

private:
    std::vector<Span> m_idle[3];  ///< per role (core, blocking, rayon): sorted, disjoint
};

/// The critical path of `task`: contiguous segments, in time order, from the path's
/// root (the run's start, or the spawn of the first task it reaches that has no
/// parent) to the task's end (the run's end if it never ended). Empty for an
/// unknown task.
std::vector<PathSegment> critical_path(const RunModel& model, const WorkerIdle& idle, TaskId task);
std::vector<PathSegment> critical_path(const RunModel& model, TaskId task);

/// The task's own life as segments (its spans, queued ones split by idleness;
/// idle spans are waits on nothing), from its spawn to its end.
std::vector<PathSegment> task_segments(const RunModel& model, const WorkerIdle& idle, TaskId task);

/// The segments summed by kind, waits per target.
Breakdown breakdown(const std::vector<PathSegment>& segments);

/// Every task's own life split as task_segments, in the summary JSON's form (by id).
std::vector<TaskBreakdown> summary_breakdowns(const RunModel& model);

/// The wake that ended the wait of `task` that ended at `t` (its first wake at `t`),
/// or nullptr.
const WakeArrow* wake_ending(const RunModel& model, TaskId task, Time t);

/// "job queue" (a resource), "task worker 2" (a join), "timer 3" (a sleep), "nothing".
std::string target_name(const RunModel& model, const WaitTarget& target);
/// "running", "queued (idle worker)", "queued (workers busy)", "waiting".
std::string_view to_string(SegmentKind kind);

/// A task named `text` ("#7" is the id 7), or nullopt. A name given to several tasks
/// names the first.
std::optional<TaskId> find_task(const RunModel& model, std::string_view text);

}  // namespace spindle::view
