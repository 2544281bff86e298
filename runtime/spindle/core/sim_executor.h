#pragma once
// SimExecutor: the deterministic simulated executor. One OS thread drives N
// logical core workers and the blocking pool's lanes on a virtual clock.
//
// State: the task cells (by id), the workers, the step heap (at most one pending
// step per worker, ordered by (time, insertion seq)), the timers, the parked
// workers, the resource registry. All of it is touched only by the thread inside
// run(). A poll is two steps: poll_start at t (the worker is chosen and busy),
// then the body runs at t + poll_cost; work(d) inside the body suspends the poll
// and continues it d later on the same worker. Timers due at the same instant
// as a worker step fire first. Every random choice comes from m_rng, or under an
// exploring strategy (m_strategy) from the strategy's own seeded stream.
// A blocking wait (set_blocking) keeps its poll open: the worker stays with the task
// (current), runs nothing else, and is stepped again only by a wake of that task.
// OS-thread tasks (TaskFlavor::thread) each own a lane of role `thread`, made on
// demand and reused, most recent first, once its thread has ended.
// Rayon jobs (TaskFlavor::rayon) run on their pool's lanes (role rayon, RayonPools
// holds their queues); a job that has started stays on its lane (its home), and its
// waits hold that lane unless it waits for a job it forked (set_steal_while_waiting).
// Local tasks (TaskFlavor::local, spawn_local) wait in their worker's pinned queue,
// which only that worker takes from (alternating with its other queues), never stolen.

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "spindle/core/blocking_pool.h"
#include "spindle/core/config.h"
#include "spindle/core/deadlock.h"
#include "spindle/core/executor.h"
#include "spindle/core/rayon_pools.h"
#include "spindle/core/schedule_strategy.h"
#include "spindle/core/scheduler_policy.h"
#include "spindle/core/task_harness.h"
#include "spindle/core/timer_queue.h"

namespace spindle {

class SimExecutor final : public Executor {
public:
    explicit SimExecutor(RuntimeConfig config);
    ~SimExecutor() override;

    void subscribe(EventSink* sink) { m_instrument.subscribe(sink); }
    /// Emits run_start; tasks may be spawned from now on (inside an ExecutorScope).
    void begin();
    /// Runs until every task has ended, the run is stuck, or a budget is spent.
    RunOutcome run();
    /// Called when nothing can run but tasks are alive, before declaring a deadlock;
    /// the run goes on if the hook made something runnable.
    void set_idle_hook(std::function<void()> hook) { m_idle_hook = std::move(hook); }
    /// Asks a running run() to stop (from any thread); it ends as budget_exceeded.
    void request_stop() { m_stop_requested.store(true, std::memory_order_relaxed); }
    /// Says why a run ended as budget_exceeded, for run_end's reason (called once, on
    /// run()'s thread, before run_end). Without it the executor names its own limit:
    /// "cancelled" (the stop flag), the virtual-time or event budget, or a request_stop.
    void set_stop_reason(std::function<std::string()> reason) { m_stop_reason = std::move(reason); }
    /// run_end's reason: empty unless the outcome is budget_exceeded.
    const std::string& stop_reason() const { return m_stop_text; }

    RunOutcome outcome() const { return m_outcome; }
    const DeadlockReport* deadlock() const { return m_deadlock ? &*m_deadlock : nullptr; }
    const RuntimeConfig& config() const { return m_config; }
    std::size_t live_tasks() const { return m_live; }
    std::uint64_t event_count() const { return m_instrument.event_count(); }

    // Executor
    Nanos now() const override { return m_now; }
    TaskId current_task() const override { return m_instrument.cursor().task; }
    WorkerId current_worker() const override { return m_instrument.cursor().worker; }
    void suspend_current(std::coroutine_handle<> h, Pending* pending) override;
    void begin_work(std::coroutine_handle<> h, Nanos d) override;
    void yield_current(std::coroutine_handle<> h) override;
    void wake(TaskId task, WakeCause cause, std::uint32_t object) override;
    TaskId spawn(std::string_view name, TaskFlavor flavor, std::coroutine_handle<> root,
                 std::shared_ptr<detail::JoinSlotBase> slot) override;
    void abort(TaskId task) override;
    void fail_abort(std::string error) override;
    void set_blocking(bool on) override {
        if (m_current) m_current->blocking_mode = on;
    }
    bool blocking() const override { return m_current && m_current->waits_block(); }
    void set_steal_while_waiting(bool on) override {
        if (m_current) m_current->steal_wait = on;
    }
    ResourceId make_rayon_pool(std::string_view name, std::uint32_t threads) override;
    TaskId spawn_job(std::string_view name, ResourceId pool, std::coroutine_handle<> root,
                     std::shared_ptr<detail::JoinSlotBase> slot) override;
    ResourceId current_pool() const override { return m_current ? m_current->pool : 0; }
    WorkerId local_set_worker() const override {
        const WorkerId w = m_instrument.cursor().worker;
        return w < m_core_workers ? w : 0;
    }
    TaskId spawn_pinned(std::string_view name, WorkerId worker, std::coroutine_handle<> root,
                        std::shared_ptr<detail::JoinSlotBase> slot) override;
    bool current_job_migrated() const override { return m_current && m_current->migrated; }
    void note_check_failed() override { ++m_checks_failed; }
    std::uint32_t start_timer(Nanos deadline, TaskId task) override;
    void cancel_timer(std::uint32_t timer) override;
    ResourceId register_resource(ResourceKind kind, std::string_view name,
                                 std::uint32_t capacity) override;
    const ResourceInfo* resource(ResourceId id) const override;
    std::uint64_t next_message_id() override { return ++m_last_message; }
    std::uint32_t next_select_id() override { return ++m_last_select; }
    Instrument& instrument() override { return m_instrument; }
    Rng& rng() override { return m_rng; }

private:
    enum class TaskState : std::uint8_t { idle, scheduled, running };

    struct TaskCell {
        TaskId id = 0;
        TaskFlavor flavor = TaskFlavor::async;
        TextId name = 0;
        TaskState state = TaskState::scheduled;
        bool notified = false;
        bool abort_requested = false;
        bool aborting = false;    ///< its frame is being destroyed by the abort
        std::string abort_error;  ///< what destroying it raised (fail_abort)
        bool yielded = false;
        bool in_work = false;
        bool blocking_mode = false;  ///< set_blocking: its waits hold the worker
        bool holds_worker = false;   ///< suspended in a blocking wait, its poll open
        bool block_woken = false;    ///< holds_worker, and a wake stepped its worker already
        WorkerId held_worker = kNoWorker;
        Nanos work{0};
        WorkerId lane = kNoWorker;    ///< the lane a blocking or thread task owns
        ResourceId pool = 0;          ///< a Rayon job: its pool
        WorkerId origin = kNoWorker;  ///< a Rayon job: the worker it was made on
        WorkerId home = kNoWorker;    ///< a Rayon job: the lane it started on, and stays on
        bool migrated = false;        ///< a Rayon job: started on another lane than origin
        bool steal_wait = false;      ///< a Rayon job: its waits release its lane now
        WorkerId pin = kNoWorker;     ///< a local task: the only core worker it runs on

        /// Whether a wait now holds the worker: in blocking mode, or a Rayon job's wait
        /// (but for the one on a job it forked).
        bool waits_block() const {
            return blocking_mode || (flavor == TaskFlavor::rayon && !steal_wait);
        }
        std::coroutine_handle<detail::RootPromise> root;
        std::coroutine_handle<> resume_point;
        Pending* pending = nullptr;
        std::shared_ptr<detail::JoinSlotBase> slot;
    };

    struct Worker {
        WorkerRole role = WorkerRole::core;
        TaskId current = 0;  ///< task in a poll on this worker
        TaskId pinned = 0;   ///< blocking and thread lanes: the task owning the lane
        bool parked = false;
        bool searching = false;
        bool step_pending = false;
        std::deque<TaskId> pinned_queue;  ///< core: runnable local tasks, front first
        bool pinned_turn = false;         ///< core: the pinned queue went first last time
    };

    struct Step {
        Nanos time;
        std::uint64_t seq;
        WorkerId worker;
        bool operator>(const Step& o) const { return time != o.time ? time > o.time : seq > o.seq; }
    };

    TaskCell* cell(TaskId id) const { return id < m_tasks.size() ? m_tasks[id].get() : nullptr; }
    TaskCell& current_cell();

    /// Why run() must stop before an event due at `next` ("" when it may go on).
    std::string limit_reached(Nanos next) const;
    void schedule_step(WorkerId w, Nanos at);
    void run_step(WorkerId w);
    void start_poll(WorkerId w, TaskCell& c);
    void run_body(WorkerId w, TaskCell& c);
    void end_poll(WorkerId w, TaskCell& c);
    void finish_task(TaskCell& c, TaskOutcome outcome, std::string error);
    void schedule_cell(TaskCell& c, bool is_yield);
    void assign_lane(TaskCell& c, WorkerId lane);
    /// Queues a runnable Rayon job on its pool (or its home lane, once started).
    void schedule_job(TaskCell& c);
    /// Marks a parked lane awake (emits worker_unpark, caused by `by`).
    void unpark_lane(WorkerId w, TaskId by);
    TaskId spawn_cell(std::string_view name, TaskFlavor flavor, ResourceId pool,
                      std::coroutine_handle<> root, std::shared_ptr<detail::JoinSlotBase> slot,
                      WorkerId pin = kNoWorker);
    /// The next local task for core worker `w` when its turn has come (0: none).
    TaskId next_pinned(WorkerId w);
    /// A new lane (worker) of `role` (of Rayon pool `pool`); emits worker_start.
    WorkerId add_lane(WorkerRole role, ResourceId pool = 0);
    /// Gives an OS-thread task its own lane: an idle thread lane or a new one.
    void start_thread(TaskCell& c);
    void park(WorkerId w);
    void notify_parked(TaskId cause);
    void fire_timer();
    DeadlockReport build_deadlock_report() const;
    void teardown();

    RuntimeConfig m_config;
    int m_core_workers;
    Instrument m_instrument;
    Rng m_rng;
    ScheduleStrategy m_strategy;
    std::vector<Candidate> m_candidates;  ///< scratch of run_step under an exploring strategy
    std::unique_ptr<SchedulerPolicy> m_policy;
    BlockingPool m_blocking;
    RayonPools m_rayon{m_instrument, m_rng};
    int m_rayon_pools = 0;
    std::vector<WorkerId> m_idle_threads;  ///< thread lanes whose thread ended, last at the back
    std::deque<TaskId> m_thread_queue;     ///< threads waiting for a lane (kMaxOsThreads alive)
    int m_thread_lanes = 0;
    TimerQueue m_timers;
    std::vector<Worker> m_workers;
    std::vector<WorkerId> m_parked;  ///< parked core workers, last parked at the back
    int m_searching = 0;
    std::priority_queue<Step, std::vector<Step>, std::greater<>> m_steps;
    std::uint64_t m_step_seq = 0;
    std::vector<std::unique_ptr<TaskCell>> m_tasks{1};  ///< index = task id; null once ended
    std::vector<ResourceInfo> m_resources;
    std::size_t m_live = 0;
    std::size_t m_failed = 0;
    std::size_t m_checks_failed = 0;
    Nanos m_now{0};
    TaskCell* m_current = nullptr;
    std::uint64_t m_last_message = 0;
    std::uint32_t m_last_select = 0;
    bool m_began = false;
    bool m_ended = false;
    bool m_tearing_down = false;
    std::atomic<bool> m_stop_requested{false};
    std::function<void()> m_idle_hook;
    std::function<std::string()> m_stop_reason;
    std::string m_stop_text;
    RunOutcome m_outcome = RunOutcome::completed;
    std::optional<DeadlockReport> m_deadlock;
};

}  // namespace spindle
