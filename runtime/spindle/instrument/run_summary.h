#pragma once
// RunSummary: folds a run's event stream into per-run statistics (tasks, channels,
// other resources, workers, errors). It renders nothing: summary_json.h (to_json) and
// text_table.h (to_text_tables) turn a summary into JSON or fixed-width tables.
//
// State: the summary owns plain records (Run, Task, Channel, Resource, Worker) plus
// private bookkeeping for intervals still open (a poll in progress, a task waiting in a
// queue, a channel at capacity, waiters per resource) and a copy of every text by id.
// It is touched only through the EventSink calls (the run's driving thread) and read
// afterwards. Everything is derived from events alone, so a replayed trace gives the
// same summary as the live run. Figures are final once run_end has been seen
// (finished()); before that, intervals still open are not counted yet.
//
// Time accounting of a task over its lifetime (spawn to task_end, or to run_end for a
// task still alive): busy = sum of poll_start..poll_end; scheduled wait = sum of
// (first task_scheduled after spawn or a wake)..(next poll_start); idle = the rest.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "spindle/instrument/sink.h"

namespace spindle {

/// Per-run statistics computed from the instrumentation stream.
class RunSummary final : public EventSink {
public:
    /// The run as a whole (from run_start / run_end).
    struct Run {
        std::string config;  ///< run_start text ("workers=4 policy=work-stealing ...")
        Policy policy = Policy::work_stealing;
        int workers = 0;  ///< core workers
        std::uint64_t seed = 0;
        RunOutcome outcome = RunOutcome::completed;  ///< meaningful once finished()
        std::int64_t duration_ns = 0;    ///< time of run_end (of the last event before it)
        std::uint64_t events = 0;        ///< events received, run_end included
        std::uint64_t alive_at_end = 0;  ///< run_end's count of tasks still alive
        /// budget_exceeded: what stopped the run (run_end's reason; "" if not recorded)
        std::string stop_reason;
    };

    /// One task, from task_spawn to task_end (or run_end).
    struct Task {
        /// How the task ended; `waiting` = still alive when the run ended.
        enum class State : std::uint8_t { completed, failed, aborted, waiting };

        TaskId id = 0;
        std::string name;
        TaskId parent = 0;  ///< 0 = spawned from outside any task
        TaskFlavor flavor = TaskFlavor::async;
        State state = State::waiting;
        std::uint64_t polls = 0;
        std::int64_t busy_ns = 0;
        std::int64_t scheduled_wait_ns = 0;
        std::int64_t idle_ns = 0;          ///< lifetime - busy - scheduled wait (set at the end)
        std::uint64_t wakes = 0;           ///< task_wake events naming this task (yields included)
        WorkerId last_worker = kNoWorker;  ///< worker of the latest poll
        std::uint64_t migrations = 0;      ///< polls on another worker than the poll before
        /// An async task's time in blocking calls that held its core worker (a crossbeam
        /// recv, a Rayon call, std's join or sleep in async code).
        std::int64_t held_worker_ns = 0;
        std::int64_t spawn_ns = 0;
        std::int64_t end_ns = -1;  ///< time of task_end; -1 while alive
        std::string error;         ///< task_end text when failed, else ""
    };

    /// A channel: resource_created of kind mpsc, oneshot, broadcast, watch or crossbeam.
    struct Channel {
        ResourceId id = 0;
        std::string name;
        ResourceKind kind = ResourceKind::mpsc;
        std::uint32_t capacity = kUnbounded;
        std::uint64_t sent = 0;      ///< chan_send events
        std::uint64_t received = 0;  ///< chan_recv events
        std::uint32_t max_len = 0;   ///< largest buffer length seen in chan_send / chan_recv
        std::uint64_t lagged = 0;    ///< sum of chan_lag counts (broadcast)
        /// Time with length == capacity. Bounded channels only; always 0 for watch,
        /// whose one slot is always occupied.
        std::int64_t time_full_ns = 0;
        bool closed = false;  ///< a chan_close was seen

        bool bounded() const { return capacity != kUnbounded; }
        /// True when time_full_ns means something: bounded and not a watch.
        bool tracks_full_time() const { return bounded() && kind != ResourceKind::watch; }
    };

    /// Any other registered resource (mutex, rwlock, semaphore, notify, barrier).
    struct Resource {
        ResourceId id = 0;
        std::string name;
        ResourceKind kind = ResourceKind::mutex;
        std::uint32_t capacity = 0;      ///< resource_created count (permits, parties...)
        std::uint64_t acquisitions = 0;  ///< lock_acquire events
        std::uint32_t max_waiters = 0;   ///< most tasks between wait_start and wait_end at once
    };

    /// One worker thread (core or blocking lane).
    struct Worker {
        WorkerId id = 0;
        WorkerRole role = WorkerRole::core;
        std::uint64_t polls = 0;
        std::int64_t busy_ns = 0;
        std::uint64_t steals = 0;        ///< worker_steal events with this worker as thief
        std::uint64_t stolen_tasks = 0;  ///< tasks taken in those steals
        std::uint64_t parks = 0;

        /// "core", "blocking", "thread" or "rayon", as the renderings show it (an unknown role
        /// shows as core).
        std::string_view role_name() const {
            return role == WorkerRole::blocking ? "blocking"
                   : role == WorkerRole::thread ? "thread"
                   : role == WorkerRole::rayon  ? "rayon"
                                                : "core";
        }
    };

    void on_event(const Event& event, std::string_view text) override;

    /// True once run_end has been received.
    bool finished() const { return m_finished; }
    const Run& run() const { return m_run; }
    /// Tasks in id order.
    const std::vector<Task>& tasks() const { return m_tasks; }
    /// Channels in id order.
    const std::vector<Channel>& channels() const { return m_channels; }
    /// Other resources in id order.
    const std::vector<Resource>& resources() const { return m_resources; }
    /// Workers in id order.
    const std::vector<Worker>& workers() const { return m_workers; }
    /// Error messages of the failed tasks, in the order they failed.
    const std::vector<std::string>& errors() const { return m_errors; }
    /// The check()s that did not hold ("file:line: what failed"), the first
    /// kMaxChecks of them, in order.
    const std::vector<std::string>& checks() const { return m_checks; }
    static constexpr std::size_t kMaxChecks = 1000;
    /// Advice drawn from the run, one line each (final once finished()): every async task
    /// that held its core worker in blocking calls, with how long and the first call.
    const std::vector<std::string>& hints() const { return m_hints; }

    /// Lookups by id; nullptr when the stream never introduced it.
    const Task* task(TaskId id) const;
    const Channel* channel(ResourceId id) const;
    const Resource* resource(ResourceId id) const;
    const Worker* worker(WorkerId id) const;

private:
    /// Intervals still open for one task.
    struct TaskTrack {
        std::int64_t queued_since = -1;    ///< waiting in a run queue since (-1 = not queued)
        std::int64_t poll_since = -1;      ///< in a poll since (-1 = not polling)
        std::int64_t held_since = -1;      ///< async, in a blocking call holding a core worker
        WorkerId held_worker = kNoWorker;  ///< the first worker it held
        std::string first_call;            ///< the first such call ("join on 'sum 1..10'")
    };
    /// Open state of one resource (channel or other).
    struct ResourceTrack {
        bool is_channel = false;
        std::size_t index = 0;         ///< into m_channels or m_resources
        std::uint32_t len = 0;         ///< channels: buffer length
        std::int64_t full_since = -1;  ///< channels: at capacity since (-1 = not full)
        std::uint32_t waiters = 0;
    };

    Task& task_entry(TaskId id, std::int64_t now);
    Worker& worker_entry(WorkerId id);
    Channel* channel_entry(ResourceId id);  ///< nullptr unless a known channel
    std::string_view remember_text(TextId id, std::string_view text);
    void on_resource_created(const Event& e, std::string_view text);
    void on_channel_len(ResourceId chan, std::int64_t now, std::uint32_t len);
    void finish(const Event& run_end);
    /// "recv on 'jobs'", "join on 'sum 1..10'", "sleep": a wait, for the hints.
    std::string describe_call(WaitOp op, std::uint32_t object) const;

    Run m_run;
    bool m_finished = false;
    std::vector<Task> m_tasks;
    std::vector<TaskTrack> m_task_tracks;  ///< parallel to m_tasks
    std::unordered_map<TaskId, std::size_t> m_task_index;
    std::vector<Channel> m_channels;
    std::vector<Resource> m_resources;
    std::unordered_map<ResourceId, ResourceTrack> m_resource_tracks;
    std::vector<Worker> m_workers;
    std::unordered_map<WorkerId, std::size_t> m_worker_index;
    std::unordered_map<WorkerId, std::int64_t> m_worker_poll_since;
    std::vector<std::string> m_errors;
    std::vector<std::string> m_checks;
    std::vector<std::string> m_hints;
    std::unordered_map<TextId, std::string> m_texts;  ///< texts by id, as first seen
};

/// Stable name of a task state: "completed" | "failed" | "aborted" | "waiting".
std::string_view to_string(RunSummary::Task::State state);

}  // namespace spindle
