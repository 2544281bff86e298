#pragma once
// Semaphore: tokio's fair (FIFO) counting semaphore.
//
// State (detail::SemaphoreState, shared by every Semaphore handle, Permit and
// pending AcquireOp): the permits available, whether it is closed, the FIFO of
// waiting acquirers (WaitNode::want = permits asked for) and the holder tasks
// (one entry per live non-empty Permit or unconsumed grant, for deadlock reports).
// Rules:
//  - waiters are served strictly in order: returned or added permits go to the
//    head of the queue as soon as its whole request fits, so a large request at
//    the head blocks smaller later ones, and a new acquire never overtakes the
//    queue (not even try_acquire);
//  - a waiter cancelled after its grant returns the permits (which go on to the
//    next waiters); a waiter cancelled before lets the waiters behind it be served;
//  - close() fails every waiter that was not granted yet and every later acquire:
//    they yield an empty Permit (tokio returns AcquireError); permits already
//    handed out stay valid and may still be returned;
//  - lock_acquire / lock_release carry the holding task, LockMode::permits and
//    count = permits; a grant is reported when it is made. Zero-permit acquires
//    succeed at once (unless closed) and emit nothing.
// Only tasks of the run touch it; permits may be destroyed after the run has
// ended (no events or wakes then).

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "spindle/core/endpoint.h"
#include "spindle/core/operation.h"
#include "spindle/core/wake.h"

namespace spindle {

namespace detail {

struct SemaphoreState {
    ResourceId id = 0;
    std::uint32_t available = 0;
    bool closed = false;
    WaitList waiters;
    std::vector<TaskId> holders;  ///< one entry per non-empty held grant

    /// Emits lock_acquire / lock_release (payload::LockAcquire / LockRelease) of `n` permits
    /// on behalf of `task`.
    template <class Change>
    void emit_lock(std::uint32_t n, TaskId task) const {
        emit_for(task, Change{.lock = id, .mode = LockMode::permits, .permits = n});
    }

    bool can_take_now(std::uint32_t n) const {
        return !closed && waiters.empty() && available >= n;
    }

    /// Takes `n` available permits for `task`.
    void take(std::uint32_t n, TaskId task) {
        if (n == 0) return;
        available -= n;
        holders.push_back(task);
        emit_lock<payload::LockAcquire>(n, task);
    }

    /// Returns `n` permits held by `task`, then serves the queue.
    void give_back(std::uint32_t n, TaskId task) {
        if (n > 0) {
            drop_hold(n, task);
            add(n);
        }
        grant();
    }

    /// Ends `task`'s hold of `n` (> 0) permits without making them available.
    void drop_hold(std::uint32_t n, TaskId task) {
        auto it = std::find(holders.begin(), holders.end(), task);
        if (it != holders.end()) holders.erase(it);
        emit_lock<payload::LockRelease>(n, task);
    }

    void add(std::uint32_t n) {
        if (n > kMaxPermits - available)
            throw std::overflow_error("spindle: semaphore permits would exceed max_permits");
        available += n;
    }

    /// Grants whole requests at the head of the queue, oldest first.
    void grant() {
        if (closed) return;
        while (WaitNode* n = waiters.front()) {
            if (n->want > available) return;
            waiters.pop_front();
            n->granted = 1;
            take(n->want, n->task);
            spindle::detail::wake_task(n->task, id);
        }
    }

    void close() {
        if (closed) return;
        closed = true;
        spindle::detail::emit_close(CloseReason::closed, id, available);
        spindle::detail::wake_all(waiters, id);  // they stay queued and fail when polled
    }

    void describe(WaitInfo& w) const {
        for (TaskId t : holders)
            if (std::find(w.holders.begin(), w.holders.end(), t) == w.holders.end())
                w.holders.push_back(t);
    }

    static constexpr std::uint32_t kMaxPermits = 0xFFFFFFFFu >> 3;  // like tokio's MAX_PERMITS
};

/// What a Permit holds besides the semaphore.
struct PermitHold {
    std::uint32_t permits = 0;
    TaskId holder = 0;  ///< the task the permits are accounted to
};

}  // namespace detail

/// Permits acquired from a Semaphore. Move-only; release() or destruction returns them.
/// An empty Permit (operator bool false) is what a failed (closed) acquire yields.
class Permit : public Endpoint<Permit, detail::SemaphoreState, detail::PermitHold> {
public:
    Permit() = default;

    /// Returns the permits to the semaphore now (to the oldest waiters). Idempotent.
    void release() { drop(); }
    /// Drops the permits without returning them (tokio's forget): the semaphore shrinks.
    void forget() {
        if (!m_core) return;
        auto s = std::exchange(m_core, nullptr);
        const detail::PermitHold h = std::exchange(m_extra, {});
        if (h.permits > 0) s->drop_hold(h.permits, h.holder);
    }
    /// Permits held (0 once released, or for a failed acquire).
    std::uint32_t permits() const { return m_extra.permits; }
    /// True when the acquire succeeded and the permits have not been released.
    using Endpoint::valid;
    explicit operator bool() const { return valid(); }
    ResourceId semaphore_id() const { return id(); }

private:
    friend Endpoint;
    friend class AcquireOp;
    friend class Semaphore;
    Permit(std::shared_ptr<detail::SemaphoreState> state, std::uint32_t n, TaskId holder)
        : Endpoint(std::move(state), {n, holder}) {}
    static void release(std::shared_ptr<detail::SemaphoreState> s, detail::PermitHold h) {
        s->give_back(h.permits, h.holder);
    }
};

/// Awaitable acquire of n permits; yields a Permit, empty if the semaphore is
/// (or gets) closed. Usable as a select branch (cancel-safe).
class AcquireOp final : public AwaitableOperation<AcquireOp> {
public:
    AcquireOp(std::shared_ptr<detail::SemaphoreState> state, std::uint32_t n)
        : AwaitableOperation(state->id, WaitOp::acquire), m_state(std::move(state)) {
        m_node.want = n;
    }
    ~AcquireOp() override { cancel(); }

    bool try_complete() override {
        auto& s = *m_state;
        if (m_node.take_grant()) {  // granted before any close: the permits are ours
            m_permit = Permit(m_state, m_node.want, m_node.task);
            return true;
        }
        if (s.closed) {
            m_permit = Permit();
            return true;
        }
        if (!s.can_take_now(m_node.want)) return false;
        const TaskId task = detail::current_task_or_none();
        s.take(m_node.want, task);
        m_permit = Permit(m_state, m_node.want, task);
        return true;
    }
    void arm(TaskId task) override { m_node.arm(m_state->waiters, task); }
    void disarm() override {
        auto& s = *m_state;
        if (m_node.disarm(s.waiters)) {  // cancelled after the grant: return the permits
            s.give_back(m_node.want, m_node.task);
        } else {
            s.grant();  // a large request leaving the head may unblock smaller ones
        }
    }
    void describe(WaitInfo& w) const override { m_state->describe(w); }
    /// The permit (empty when the semaphore was closed).
    Permit result() { return std::move(m_permit); }

private:
    std::shared_ptr<detail::SemaphoreState> m_state;
    detail::QueuedWait m_node;
    Permit m_permit;
};

/// A fair (FIFO) counting semaphore. A cheap copyable handle: copies share one semaphore.
class Semaphore {
public:
    static constexpr std::uint32_t max_permits = detail::SemaphoreState::kMaxPermits;

    /// Creates and registers a semaphore with `permits` permits (inside a run).
    explicit Semaphore(std::uint32_t permits, std::string_view name = "semaphore")
        : m_state(std::make_shared<detail::SemaphoreState>()) {
        m_state->add(permits);
        m_state->id = detail::register_resource(ResourceKind::semaphore, name, permits);
    }
    /// Same as the constructor.
    static Semaphore create(std::uint32_t permits, std::string_view name = "semaphore") {
        return Semaphore(permits, name);
    }

    /// Waits for `n` permits, behind every earlier waiter; yields an empty Permit once closed.
    AcquireOp acquire(std::uint32_t n = 1) const { return AcquireOp(m_state, n); }
    /// `n` permits if they are available now, nobody waits and the semaphore is open.
    std::optional<Permit> try_acquire(std::uint32_t n = 1) const {
        if (!m_state->can_take_now(n)) return std::nullopt;
        const TaskId task = detail::current_task_or_none();
        m_state->take(n, task);
        return Permit(m_state, n, task);
    }
    /// Adds permits (granted to the oldest waiters first).
    void add_permits(std::uint32_t n) const {
        m_state->add(n);
        m_state->grant();
    }
    /// Fails every waiter not yet granted and every later acquire.
    void close() const { m_state->close(); }
    bool is_closed() const { return m_state->closed; }
    /// Permits not held by anyone (nor granted to a waiter).
    std::uint32_t available() const { return m_state->available; }
    /// Number of tasks queued for permits.
    std::uint32_t waiters() const { return m_state->waiters.size(); }
    ResourceId id() const { return m_state->id; }

private:
    std::shared_ptr<detail::SemaphoreState> m_state;
};

}  // namespace spindle
