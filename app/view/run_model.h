#pragma once
// RunModel: the viewer's picture of one run, folded from the event stream.
//
// State: per worker the poll slices, parked spans and steals; per task its
// identity and state spans (queued, running, waiting on what); per channel its
// buffer-length steps, send/recv ticks and buffered-message spans; per lock or
// signal its holds and its waiters' queue (LockQueue); the queue
// spans that say which run queue held a task when; wake arrows; log lines.
// Everything is appended in event order by on_event (the thread that feeds
// it), then read-only. Spans still open when the run ends are closed at its
// end. Plain C++: no Qt, so it can be built and tested headless.
//
// Memory: the arrays that grow with the run (spans, polls, wakes, channel ticks...)
// are HugeVectors: once large they live in huge-page mappings and grow without
// copying, which is most of what folding a big run costs on fresh memory. Worker
// tracks live in a deque: starting a worker allocates one small block at most,
// never a fresh copy of every track (a run may start up to kMaxWorkerId + 1).

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "huge_vector.h"
#include "lock_queue.h"
#include "race_marks.h"
#include "spindle/instrument/run_summary.h"
#include "spindle/instrument/sink.h"

namespace spindle::view {

using Time = std::int64_t;  ///< virtual ns since run start
inline constexpr WorkerId kGlobalQueue = kNoWorker;

/// One poll of a task on a worker.
struct PollSlice {
    Time start = 0;
    Time end = 0;
    TaskId task = 0;
    bool ready = false;  ///< the poll completed the task
};

struct Span {
    Time start = 0;
    Time end = 0;
};

struct StealMark {
    Time time = 0;
    WorkerId victim = 0;
    std::uint32_t count = 0;
};

/// A blocking call that kept a worker: the task in it and what it waited for.
struct BlockedSlice {
    Time start = 0;
    Time end = -1;  ///< -1 while open
    TaskId task = 0;
    ResourceId resource = 0;  ///< as TaskSpan::resource
    WaitOp op = WaitOp::recv;
};

struct WorkerTrack {
    WorkerId id = 0;
    WorkerRole role = WorkerRole::core;
    ResourceId pool = 0;  ///< role rayon: its Rayon pool (a rayon_pool resource)
    Time started = 0;
    HugeVector<PollSlice> polls;  ///< sorted by start, non-overlapping
    HugeVector<Span> parked;
    HugeVector<StealMark> steals;
    /// Blocking calls that held this worker (inside polls): sorted by start.
    std::vector<BlockedSlice> blocked;
};

/// What a task is doing over an interval. `blocked`: waiting inside a blocking call
/// (crossbeam, std's join or sleep, a thread's lock) while keeping its worker.
enum class TaskState : std::uint8_t { queued, running, waiting, idle, done, blocked };

struct TaskSpan {
    Time start = 0;
    Time end = 0;
    ResourceId resource = 0;      ///< waiting: the resource (task id for join, timer for sleep)
    std::uint32_t select = 0;     ///< waiting in a select: 1 + index of its branches (0: none)
    WorkerId worker = kNoWorker;  ///< running: where; queued: whose queue
    TaskState state = TaskState::idle;
    WaitOp op = WaitOp::recv;  ///< waiting: which operation
    std::uint8_t others = 0;   ///< waiting in a select: how many other branches (capped)
};
static_assert(sizeof(TaskSpan) == 32, "a span per task state change: keep it small");

/// One operation a waiting task is armed on.
struct WaitRef {
    ResourceId resource = 0;  ///< as TaskSpan::resource
    WaitOp op = WaitOp::recv;
    friend bool operator==(const WaitRef&, const WaitRef&) = default;
};

struct TaskInfo {
    TaskId id = 0;
    std::string name;
    TaskId parent = 0;
    TaskFlavor flavor = TaskFlavor::async;
    ResourceId pool = 0;  ///< a Rayon job: its pool (once queued on its injector or polled)
    Time spawned = 0;
    std::optional<Time> ended;
    std::optional<TaskOutcome> outcome;
    std::string error;
    // Statistics, taken from RunModel::summary() when the run finishes (one fold):
    std::uint32_t polls = 0;
    std::uint32_t wakes = 0;
    Time busy = 0;
    Time scheduled_wait = 0;  ///< queued time, summed
    WorkerId last_worker = kNoWorker;
    HugeVector<TaskSpan> spans;  ///< contiguous from spawn to end (or run end)
};

/// A message's life in a channel buffer.
struct MessageSpan {
    std::uint64_t msg = 0;
    Time sent = 0;
    Time received = 0;  ///< run end if never received
    TaskId sender = 0;
    TaskId receiver = 0;
};

struct ChannelTick {
    Time time = 0;
    bool send = true;
    std::uint64_t msg = 0;
    TaskId task = 0;
};

struct LenPoint {
    Time time = 0;
    std::uint32_t len = 0;
};

/// A task holding a lock or semaphore permits over an interval. A hold never
/// released ends one nanosecond after the run, so "held at the end" still shows.
struct HoldSpan {
    Time start = 0;
    Time end = 0;
    TaskId task = 0;
    LockMode mode = LockMode::exclusive;
    std::uint32_t permits = 1;
};

/// A broadcast receiver that fell more than the capacity behind and skipped `skipped`.
struct LagMark {
    Time time = 0;
    TaskId task = 0;
    std::uint64_t skipped = 0;
};

struct ResourceTrack {
    ResourceId id = 0;
    ResourceKind kind = ResourceKind::mpsc;
    std::string name;
    std::uint32_t capacity = 0;  ///< kUnbounded for unbounded channels
    Time created = 0;
    TaskId creator = 0;          ///< the task that created it (resource_created's task)
    std::optional<Time> closed;  ///< channels: when it closed (chan_close), if it did
    CloseReason close_reason = CloseReason::senders_dropped;  ///< why, when `closed`
    bool is_channel() const {
        return kind <= ResourceKind::watch || kind == ResourceKind::crossbeam;
    }
    HugeVector<LenPoint> length;       ///< buffer length after each change (channels)
    HugeVector<ChannelTick> ticks;     ///< sends and receives (channels)
    HugeVector<MessageSpan> messages;  ///< sorted by `sent` (channels)
    HugeVector<Span> senders_blocked;  ///< spans with at least one sender waiting
    HugeVector<HoldSpan> holds;        ///< who held it when (locks, semaphores), by start
    HugeVector<LagMark> lags;          ///< broadcast receivers that fell behind, by time
    LockQueue waiters;                 ///< who queued on it when (locks and signals)
    // Channel statistics, taken from RunModel::summary() when the run finishes:
    std::uint32_t max_len = 0;
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    std::uint64_t lagged = 0;
    Time time_full = 0;
};

/// A run queue holding a task over an interval.
struct QueueSpan {
    Time start = 0;
    Time end = 0;
    TaskId task = 0;
    WorkerId queue = kGlobalQueue;  ///< the worker whose local queue / LIFO slot, or global
    QueuePlace place = QueuePlace::global;
};

/// From the poll (or timer) that woke a task to that task's next poll.
struct WakeArrow {
    Time from_time = 0;
    WorkerId from_worker = kNoWorker;  ///< kNoWorker for timers and outside wakes
    TaskId waker = 0;
    TaskId woken = 0;
    WakeCause cause = WakeCause::resource;
    Time to_time = -1;  ///< start of the woken task's next poll (-1: never polled again)
    WorkerId to_worker = kNoWorker;
    std::uint32_t source = 0;  ///< the resource or timer that woke it (by cause), else 0
};

struct LogLine {
    Time time = 0;
    TaskId task = 0;
    std::string text;
    bool check_failed = false;  ///< a check() that did not hold ("file:line: what")
};

struct RunInfo {
    bool started = false;  ///< run_start was seen: a run began (else nothing ran)
    std::string config;
    Policy policy = Policy::work_stealing;
    std::uint32_t workers = 0;
    std::uint64_t seed = 0;
    std::optional<RunOutcome> outcome;
    std::string stop_reason;  ///< budget_exceeded: what stopped it ("" if the trace does not say)
    Time end = 0;
    std::uint64_t events = 0;
};

/// The per-run data every view reads. Feed it events (live or from a trace).
class RunModel final : public EventSink {
public:
    void on_event(const Event& e, std::string_view text) override;
    void on_finish() override;

    const RunInfo& run() const { return m_run; }
    /// Indexed by worker id (workers are numbered 0, 1, 2 ... in start order).
    const std::deque<WorkerTrack>& workers() const { return m_workers; }
    const std::vector<TaskInfo>& tasks() const { return m_tasks; }
    const std::vector<ResourceTrack>& resources() const { return m_resources; }
    const HugeVector<QueueSpan>& queue_spans() const { return m_queue_spans; }
    const HugeVector<WakeArrow>& wakes() const { return m_wakes; }
    const std::vector<LogLine>& logs() const { return m_logs; }
    /// Select races, cancelled losers, late messages and watch versions seen.
    const RaceMarks& races() const { return m_races; }
    /// Every branch a select wait is armed on (TaskSpan::select), in arming order;
    /// empty for 0 or an unknown index.
    const std::vector<WaitRef>& select_waits(std::uint32_t select) const {
        static const std::vector<WaitRef> none;
        return select >= 1 && select <= m_select_waits.size() ? m_select_waits[select - 1] : none;
    }
    /// Whether the waits of `select` (TaskSpan::select) are a join's (join / try_join:
    /// several functions of one task waiting at once, no select_start before them)
    /// rather than a select's branches.
    bool select_is_join(std::uint32_t select) const {
        return select >= 1 && select <= m_select_join.size() && m_select_join[select - 1];
    }

    const TaskInfo* task(TaskId id) const;
    /// The span of `id` covering time t (the last one starting at or before t), or nullptr.
    const TaskSpan* span_at(TaskId id, Time t) const;
    const ResourceTrack* resource(ResourceId id) const;
    std::string_view task_name(TaskId id) const;

    /// Latest event time seen (the run's end once finished).
    Time end_time() const { return m_run.end; }
    bool finished() const { return m_finished; }
    /// The run's statistics, folded once for every front end: the tables and
    /// `spindle-run --summary-json` read the same numbers.
    const RunSummary& summary() const { return m_summary; }
    /// Approximate heap bytes held (for the memory benchmark).
    std::size_t memory_bytes() const;

private:
    TaskInfo* task_mut(TaskId id);
    ResourceTrack* resource_mut(ResourceId id);
    WorkerTrack& worker_mut(WorkerId id);
    void begin_span(TaskInfo& t, Time at, TaskState s, ResourceId r = 0, WaitOp op = WaitOp::recv,
                    WorkerId w = kNoWorker, std::uint8_t others = 0, std::uint32_t select = 0);
    void close_queue_span(TaskId task, Time at);
    /// A blocking call starts inside the running poll of e.task (wait_start holding its
    /// worker) / ends (its first wait_end): the task span and the worker's blocked slice.
    void begin_blocked(const Event& e, Time at, ResourceId res, WaitOp op);
    void end_blocked(TaskId task, Time at);
    void set_length(ResourceTrack& r, Time at, std::uint32_t len);
    void close_all(Time at);
    /// A resource woke `task`: ends its wait on a lock or signal (a release mark for
    /// notify and barrier).
    void lock_woken(Time t, TaskId task, ResourceId source, TaskId waker);
    void adopt_statistics();

    RunInfo m_run;
    bool m_finished = false;
    RunSummary m_summary;  ///< the one fold of the statistics (as spindle-run --summary-json)
    std::deque<WorkerTrack> m_workers;       ///< a deque: tracks never move as workers start
    std::vector<TaskInfo> m_tasks;           ///< index = id - 1
    std::vector<ResourceTrack> m_resources;  ///< index = id - 1
    HugeVector<QueueSpan> m_queue_spans;
    HugeVector<WakeArrow> m_wakes;
    std::vector<LogLine> m_logs;
    RaceMarks m_races;
    // Open state while folding:
    std::vector<std::int64_t> m_open_poll;         ///< per worker: index into polls, or -1
    std::vector<std::int64_t> m_open_queue;        ///< per task: index into m_queue_spans, or -1
    std::vector<std::int64_t> m_pending_wake;      ///< per task: index into m_wakes awaiting a poll
    std::vector<std::uint32_t> m_waiting_senders;  ///< per resource
    std::vector<std::vector<std::pair<ResourceId, WaitOp>>> m_active_waits;  ///< per task
    std::vector<std::vector<WaitRef>> m_select_waits;  ///< TaskSpan::select - 1 -> branches
    std::vector<bool> m_select_join;                   ///< TaskSpan::select - 1 -> a join's waits
    std::vector<std::uint32_t> m_open_selects;  ///< per task: select_start not yet won or ended
    std::unordered_map<std::uint64_t, std::size_t> m_open_messages;  ///< msg id -> index
};

}  // namespace spindle::view
