#pragma once
// Executor: the narrow interface through which tasks and primitives reach the
// scheduler, plus the thread-local "current executor" context.
//
// Primitives never see worker loops, queues or task cells: they suspend the
// current task on a Pending, wake tasks by id, start timers and emit events.
// Implementations must only resume coroutines from their own poll loop (wake
// never resumes inline), so a primitive may call wake while its state is mid-update.

#include <coroutine>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spindle/core/deadlock.h"
#include "spindle/core/ids.h"
#include "spindle/core/rng.h"
#include "spindle/core/time.h"
#include "spindle/instrument/event.h"
#include "spindle/instrument/instrument.h"

namespace spindle {

namespace detail {
struct JoinSlotBase;
}

/// What a suspended task is waiting for. The executor asks it, when the task
/// is polled again, whether the coroutine may resume.
class Pending {
public:
    virtual ~Pending() = default;
    /// True when the awaited operation has completed and the coroutine may resume.
    virtual bool poll_ready() = 0;
    /// Appends the operations this task is blocked on.
    virtual void describe_waits(std::vector<WaitInfo>& out) const = 0;
};

/// A registered resource (channel, lock, ...), as the executor remembers it.
struct ResourceInfo {
    ResourceKind kind = ResourceKind::mpsc;
    std::string name;
    std::uint32_t capacity = 0;
};

/// The scheduler as seen from inside a run.
class Executor {
public:
    virtual ~Executor() = default;

    virtual Nanos now() const = 0;
    virtual TaskId current_task() const = 0;
    virtual WorkerId current_worker() const = 0;

    /// Suspends the current task on `pending`; it resumes at `h` once pending is ready.
    virtual void suspend_current(std::coroutine_handle<> h, Pending* pending) = 0;
    /// Occupies the current worker for `d`, then resumes `h` in the same poll.
    virtual void begin_work(std::coroutine_handle<> h, Nanos d) = 0;
    /// Blocking mode of the current task: while on, its waits hold the worker it runs
    /// on (a thread blocked in a call, like crossbeam's recv or std's join, not a task
    /// parked at an .await): the poll stays open and nothing else runs there until the
    /// wait ends. Set around one wait by the caller.
    virtual void set_blocking(bool /*on*/) {}
    /// Whether the current task's waits hold its worker now (see set_blocking).
    virtual bool blocking() const { return false; }
    /// Rayon jobs block their pool thread in every wait but one: waiting for a job it
    /// forked (rayon's join), the thread runs other jobs meanwhile. While on, the current
    /// task's waits release its thread. Set around that one wait by the caller.
    virtual void set_steal_while_waiting(bool /*on*/) {}
    /// Ends the current poll and puts the task back at the end of the run queue.
    virtual void yield_current(std::coroutine_handle<> h) = 0;

    /// Makes a waiting task runnable. Never resumes it inline.
    virtual void wake(TaskId task, WakeCause cause, std::uint32_t object) = 0;

    /// Creates a task; the executor owns `root` from now on.
    virtual TaskId spawn(std::string_view name, TaskFlavor flavor, std::coroutine_handle<> root,
                         std::shared_ptr<detail::JoinSlotBase> slot) = 0;
    /// Creates a Rayon thread pool of `threads` threads (0: as many as the runtime has
    /// workers, at most kMaxRayonThreads); returns its id, a resource of kind rayon_pool.
    /// 0 when unsupported or when the run has kMaxRayonPools pools already.
    virtual ResourceId make_rayon_pool(std::string_view /*name*/, std::uint32_t /*threads*/) {
        return 0;
    }
    /// Creates a job (flavor rayon) of `pool`: pushed on the current thread's deque when
    /// it is one of the pool's threads, else on the pool's injector queue.
    virtual TaskId spawn_job(std::string_view name, ResourceId pool, std::coroutine_handle<> root,
                             std::shared_ptr<detail::JoinSlotBase> slot) = 0;
    /// The worker a LocalSet made now is bound to: the current core worker (0 elsewhere).
    virtual WorkerId local_set_worker() const { return 0; }
    /// Creates an async task (flavor local) that runs only on core worker `worker` and is
    /// never stolen (tokio's spawn_local on a LocalSet driven by that worker).
    virtual TaskId spawn_pinned(std::string_view name, WorkerId worker,
                                std::coroutine_handle<> root,
                                std::shared_ptr<detail::JoinSlotBase> slot) = 0;
    /// The Rayon pool whose job is running now (0: not a Rayon job).
    virtual ResourceId current_pool() const { return 0; }
    /// Whether the running job was taken by another thread than the one that made it
    /// (stolen, or sent in from outside the pool): rayon's FnContext::migrated().
    virtual bool current_job_migrated() const { return false; }
    /// Requests cancellation; takes effect the next time the task would be polled.
    virtual void abort(TaskId task) = 0;
    /// Called while the current task's frame is being destroyed by an abort, when
    /// destroying it raised `error`: the task then ends as failed with that error, not
    /// as aborted (tokio turns a panic while dropping a cancelled future into
    /// JoinError::Panic). Ignored outside an abort.
    virtual void fail_abort(std::string error) = 0;
    /// A check() of the script did not hold: the run goes on, and ends as check_failed
    /// unless something worse happens (a failed task, a deadlock, a budget).
    virtual void note_check_failed() = 0;

    /// Starts a timer that wakes `task` at `deadline`; returns its id.
    virtual std::uint32_t start_timer(Nanos deadline, TaskId task) = 0;
    virtual void cancel_timer(std::uint32_t timer) = 0;

    /// Registers a resource and emits resource_created.
    virtual ResourceId register_resource(ResourceKind kind, std::string_view name,
                                         std::uint32_t capacity) = 0;
    virtual const ResourceInfo* resource(ResourceId id) const = 0;
    virtual std::uint64_t next_message_id() = 0;
    virtual std::uint32_t next_select_id() = 0;

    virtual Instrument& instrument() = 0;
    virtual Rng& rng() = 0;

    /// tokio's cooperative budget: operations that complete at once, per poll.
    static constexpr std::uint32_t kCoopBudget = 128;
    /// Takes one unit of the current poll's budget; false once it is spent (the
    /// operation then yields first, so one task cannot hold a worker forever).
    bool coop_take() { return ++m_coop_used <= kCoopBudget; }

protected:
    /// Called by the executor as each poll starts.
    void coop_reset() { m_coop_used = 0; }

private:
    std::uint32_t m_coop_used = 0;
};

namespace detail {
/// This thread's running executor (set by ExecutorScope only). Inline, so the
/// lookup every operation makes is a thread-local load, not a call.
inline thread_local constinit Executor* t_current_executor = nullptr;
[[noreturn]] void throw_no_executor();
}  // namespace detail

/// The executor running on this thread, or nullptr outside a run.
inline Executor* current_executor_or_null() {
    return detail::t_current_executor;
}
/// The executor running on this thread; throws std::logic_error outside a run.
inline Executor& current_executor() {
    Executor* ex = detail::t_current_executor;
    if (!ex) [[unlikely]]
        detail::throw_no_executor();
    return *ex;
}

namespace detail {
/// Installs an executor as this thread's current one for a scope.
class ExecutorScope {
public:
    explicit ExecutorScope(Executor* e);
    ~ExecutorScope();
    ExecutorScope(const ExecutorScope&) = delete;
    ExecutorScope& operator=(const ExecutorScope&) = delete;

private:
    Executor* m_previous;
};

/// The task running now (0 outside a run).
inline TaskId current_task_or_none() {
    Executor* ex = current_executor_or_null();
    return ex ? ex->current_task() : 0;
}

/// Publishes an event from generic fields a payload has already encoded, on behalf of
/// `task` (0: the task running now), when a run is active. Only emit_for calls it.
inline void emit_encoded_for(TaskId task, EventKind kind, std::uint8_t detail, std::uint32_t object,
                             std::uint32_t count, std::uint64_t arg) {
    if (Executor* ex = current_executor_or_null())
        ex->instrument().emit_encoded(kind, detail, object, count, arg, task, 0);
}

/// Emits an event carrying `data` (a payload:: struct without text) on behalf of `task`
/// (0: the task running now), when a run is active.
template <class P>
inline void emit_for(TaskId task, const P& data) {
    static_assert(!payload::has_text<P>(),
                  "a payload with text goes through Instrument::emit, which interns it");
    Event f;  // only its generic fields matter: encode() fills them
    payload::encode(data, f);
    emit_encoded_for(task, P::kind, f.detail, f.object, f.count, f.arg);
}

/// Emits an event carrying `data` (a payload:: struct), when a run is active.
template <class P>
inline void emit(const P& data) {
    emit_for(0, data);
}
}  // namespace detail

}  // namespace spindle
