#pragma once
// Mutex: tokio's fair async mutex. It protects no value of its own: it guards
// whatever the tasks sharing it agree it guards.
//
// State (detail::MutexState, shared by every Mutex handle, guard and pending
// LockOp): whether it is locked, the owning task, and the FIFO of waiting lockers.
// Rules:
//  - unlocking hands ownership straight to the oldest waiter (a grant) and wakes
//    it, so the mutex is free only while nobody waits and a new lock() or
//    try_lock() never overtakes queued waiters (no barging);
//  - a waiter cancelled after its grant (abort, select loss, timeout) passes the
//    lock on to the next waiter, or frees it: the cancelled lock() has no effect;
//  - lock_acquire / lock_release carry the owning task; a grant is reported when
//    it is made (the grantee owns the lock from then on, before it runs again).
// Only tasks of the run touch it; guards may be destroyed after the run has
// ended (no events or wakes then).

#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "spindle/core/endpoint.h"
#include "spindle/core/operation.h"
#include "spindle/core/wake.h"

namespace spindle {

namespace detail {

struct MutexState {
    ResourceId id = 0;
    bool locked = false;
    TaskId owner = 0;
    WaitList waiters;

    /// Emits lock_acquire / lock_release (payload::LockAcquire / LockRelease) on behalf of `task`.
    template <class Change>
    void emit_lock(TaskId task) const {
        emit_for(task, Change{.lock = id, .mode = LockMode::exclusive, .permits = 1});
    }

    /// True when a new locker may take the lock without waiting.
    bool free_now() const { return !locked && waiters.empty(); }

    void acquire(TaskId task) {
        locked = true;
        owner = task;
        emit_lock<payload::LockAcquire>(task);
    }

    /// Unlocks; ownership goes straight to the oldest waiter, if any.
    void release() {
        emit_lock<payload::LockRelease>(owner);
        locked = false;
        owner = 0;
        if (WaitNode* n = waiters.pop_front()) {
            n->granted = 1;
            acquire(n->task);
            spindle::detail::wake_task(n->task, id);
        }
    }
};

}  // namespace detail

/// Proof of holding a Mutex. Move-only; unlock() or destruction releases it.
class MutexGuard : public Endpoint<MutexGuard, detail::MutexState> {
public:
    MutexGuard() = default;

    /// Releases the lock now (handing it to the oldest waiter). Idempotent.
    void unlock() { drop(); }
    /// True while this guard holds the lock.
    bool owns_lock() const { return valid(); }
    explicit operator bool() const { return owns_lock(); }
    /// The mutex's resource id (0 for an empty guard).
    ResourceId mutex_id() const { return id(); }

private:
    friend Endpoint;
    friend class LockOp;
    friend class Mutex;
    explicit MutexGuard(std::shared_ptr<detail::MutexState> state) : Endpoint(std::move(state)) {}
    static void release(std::shared_ptr<detail::MutexState> s) { s->release(); }
};

/// Awaitable lock; yields a MutexGuard. Usable as a select branch (cancel-safe).
class LockOp final : public AwaitableOperation<LockOp> {
public:
    explicit LockOp(std::shared_ptr<detail::MutexState> state)
        : AwaitableOperation(state->id, WaitOp::lock), m_state(std::move(state)) {}
    ~LockOp() override { cancel(); }

    bool try_complete() override {
        auto& s = *m_state;
        if (m_node.take_grant()) {  // the lock was handed to us while we waited
            m_guard = MutexGuard(m_state);
            return true;
        }
        if (!s.free_now()) return false;
        s.acquire(detail::current_task_or_none());
        m_guard = MutexGuard(m_state);
        return true;
    }
    void arm(TaskId task) override { m_node.arm(m_state->waiters, task); }
    void disarm() override {
        if (m_node.disarm(m_state->waiters))
            m_state->release();  // cancelled after the grant: pass the lock on
    }
    void describe(WaitInfo& w) const override {
        if (m_state->locked) w.holders.push_back(m_state->owner);
    }
    /// The guard (valid once the await completed).
    MutexGuard result() { return std::move(m_guard); }

private:
    std::shared_ptr<detail::MutexState> m_state;
    detail::QueuedWait m_node;
    MutexGuard m_guard;
};

/// A fair (FIFO) async mutex. A cheap copyable handle: copies share one lock.
class Mutex {
public:
    /// Creates and registers a new mutex (must be called inside a run).
    explicit Mutex(std::string_view name = "mutex")
        : m_state(std::make_shared<detail::MutexState>()) {
        m_state->id = detail::register_resource(ResourceKind::mutex, name, 1);
    }
    /// Same as the constructor.
    static Mutex create(std::string_view name = "mutex") { return Mutex(name); }

    /// Waits until the lock is granted to this task, behind every earlier waiter.
    LockOp lock() const { return LockOp(m_state); }
    /// Takes the lock only if it is free and nobody waits for it.
    std::optional<MutexGuard> try_lock() const {
        if (!m_state->free_now()) return std::nullopt;
        m_state->acquire(detail::current_task_or_none());
        return MutexGuard(m_state);
    }
    /// The task holding the lock (0 when free).
    TaskId owner() const { return m_state->owner; }
    bool is_locked() const { return m_state->locked; }
    /// Number of tasks queued for the lock.
    std::uint32_t waiters() const { return m_state->waiters.size(); }
    ResourceId id() const { return m_state->id; }

private:
    std::shared_ptr<detail::MutexState> m_state;
};

}  // namespace spindle
