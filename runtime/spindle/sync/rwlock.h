#pragma once
// RwLock: tokio's fair (FIFO) async reader-writer lock. Like Mutex it guards no
// value of its own.
//
// State (detail::RwLockState, shared by every RwLock handle, guard and pending
// operation): the number of readers and the tasks they belong to, whether a
// writer holds it (and which task), and one FIFO of waiting readers and writers.
// Rules (tokio's, which builds the lock on a fair semaphore):
//  - the queue is served strictly in order: the waiters at its head are granted
//    as soon as they fit — a run of consecutive readers together, a writer once
//    no reader or writer holds the lock — so a queued writer blocks every later
//    reader (writers are not starved) and nobody barges past the queue;
//  - a waiter cancelled after its grant releases it again; a waiter cancelled
//    before (a writer at the head) lets the waiters behind it be granted;
//  - lock_acquire / lock_release carry the owning task, mode shared / exclusive,
//    count 1; a grant is reported when it is made.
// Only tasks of the run touch it; guards may be destroyed after the run has
// ended (no events or wakes then).

#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "spindle/core/endpoint.h"
#include "spindle/core/operation.h"
#include "spindle/core/wake.h"

namespace spindle {

namespace detail {

struct RwLockState {
    static constexpr std::uint32_t kRead = 0;   ///< WaitNode::want of a reader
    static constexpr std::uint32_t kWrite = 1;  ///< WaitNode::want of a writer

    ResourceId id = 0;
    std::uint32_t readers = 0;
    std::vector<TaskId> reader_tasks;  ///< one entry per held read grant
    bool writer = false;
    TaskId writer_task = 0;
    WaitList waiters;

    /// Emits lock_acquire / lock_release (payload::LockAcquire / LockRelease) on behalf of `task`.
    template <class Change>
    void emit_lock(LockMode mode, TaskId task) const {
        emit_for(task, Change{.lock = id, .mode = mode, .permits = 1});
    }

    bool can_read_now() const { return !writer && waiters.empty(); }
    bool can_write_now() const { return !writer && readers == 0 && waiters.empty(); }

    void add_reader(TaskId task) {
        ++readers;
        reader_tasks.push_back(task);
        emit_lock<payload::LockAcquire>(LockMode::shared, task);
    }
    void set_writer(TaskId task) {
        writer = true;
        writer_task = task;
        emit_lock<payload::LockAcquire>(LockMode::exclusive, task);
    }
    /// Drops one read hold of `task` (without granting).
    void drop_reader(TaskId task) {
        --readers;
        auto it = std::find(reader_tasks.begin(), reader_tasks.end(), task);
        if (it != reader_tasks.end()) reader_tasks.erase(it);
        emit_lock<payload::LockRelease>(LockMode::shared, task);
    }
    /// Drops the write hold (without granting).
    void drop_writer() {
        emit_lock<payload::LockRelease>(LockMode::exclusive, writer_task);
        writer = false;
        writer_task = 0;
    }

    void release_read(TaskId task) {
        drop_reader(task);
        grant();
    }
    void release_write() {
        drop_writer();
        grant();
    }

    /// Grants the head of the queue for as long as it fits, oldest first.
    void grant() {
        while (WaitNode* n = waiters.front()) {
            if (writer) return;
            if (n->want == kWrite) {
                if (readers > 0) return;
                waiters.pop_front();
                n->granted = 1;
                set_writer(n->task);
                spindle::detail::wake_task(n->task, id);
                return;
            }
            waiters.pop_front();
            n->granted = 1;
            add_reader(n->task);
            spindle::detail::wake_task(n->task, id);
        }
    }

    void describe(WaitInfo& w) const {
        if (writer)
            w.holders.push_back(writer_task);
        else
            for (TaskId t : reader_tasks)
                if (std::find(w.holders.begin(), w.holders.end(), t) == w.holders.end())
                    w.holders.push_back(t);
    }
};

}  // namespace detail

class WriteGuard;

/// Proof of a shared hold on an RwLock. Move-only; unlock() or destruction releases it.
/// Its Extra is the task the hold is accounted to.
class ReadGuard : public Endpoint<ReadGuard, detail::RwLockState, TaskId> {
public:
    ReadGuard() = default;

    /// Releases this read hold now. Idempotent.
    void unlock() { drop(); }
    bool owns_lock() const { return valid(); }
    explicit operator bool() const { return owns_lock(); }
    ResourceId lock_id() const { return id(); }

private:
    friend Endpoint;
    friend class ReadOp;
    friend class RwLock;
    friend class WriteGuard;
    ReadGuard(std::shared_ptr<detail::RwLockState> state, TaskId task)
        : Endpoint(std::move(state), task) {}
    static void release(std::shared_ptr<detail::RwLockState> s, TaskId task) {
        s->release_read(task);
    }
};

/// Proof of the exclusive hold on an RwLock. Move-only; unlock() or destruction releases it.
class WriteGuard : public Endpoint<WriteGuard, detail::RwLockState> {
public:
    WriteGuard() = default;

    /// Releases the write hold now. Idempotent.
    void unlock() { drop(); }
    /// Turns the write hold into a read hold atomically (tokio's downgrade);
    /// readers queued at the head are then granted alongside.
    ReadGuard downgrade() {
        if (!m_core) return ReadGuard();
        auto s = std::exchange(m_core, nullptr);
        const TaskId task = s->writer_task;
        s->drop_writer();
        s->add_reader(task);
        s->grant();
        return ReadGuard(std::move(s), task);
    }
    bool owns_lock() const { return valid(); }
    explicit operator bool() const { return owns_lock(); }
    ResourceId lock_id() const { return id(); }

private:
    friend Endpoint;
    friend class WriteOp;
    friend class RwLock;
    explicit WriteGuard(std::shared_ptr<detail::RwLockState> state) : Endpoint(std::move(state)) {}
    static void release(std::shared_ptr<detail::RwLockState> s) { s->release_write(); }
};

/// Awaitable shared lock; yields a ReadGuard. Usable as a select branch (cancel-safe).
class ReadOp final : public AwaitableOperation<ReadOp> {
public:
    explicit ReadOp(std::shared_ptr<detail::RwLockState> state)
        : AwaitableOperation(state->id, WaitOp::read), m_state(std::move(state)) {
        m_node.want = detail::RwLockState::kRead;
    }
    ~ReadOp() override { cancel(); }

    bool try_complete() override {
        auto& s = *m_state;
        if (m_node.take_grant()) {
            m_guard = ReadGuard(m_state, m_node.task);
            return true;
        }
        if (!s.can_read_now()) return false;
        const TaskId task = detail::current_task_or_none();
        s.add_reader(task);
        m_guard = ReadGuard(m_state, task);
        return true;
    }
    void arm(TaskId task) override { m_node.arm(m_state->waiters, task); }
    void disarm() override {
        auto& s = *m_state;
        if (m_node.disarm(s.waiters)) {  // cancelled after the grant: give the read hold back
            s.release_read(m_node.task);
        } else {
            s.grant();
        }
    }
    void describe(WaitInfo& w) const override { m_state->describe(w); }
    ReadGuard result() { return std::move(m_guard); }

private:
    std::shared_ptr<detail::RwLockState> m_state;
    detail::QueuedWait m_node;
    ReadGuard m_guard;
};

/// Awaitable exclusive lock; yields a WriteGuard. Usable as a select branch (cancel-safe).
class WriteOp final : public AwaitableOperation<WriteOp> {
public:
    explicit WriteOp(std::shared_ptr<detail::RwLockState> state)
        : AwaitableOperation(state->id, WaitOp::write), m_state(std::move(state)) {
        m_node.want = detail::RwLockState::kWrite;
    }
    ~WriteOp() override { cancel(); }

    bool try_complete() override {
        auto& s = *m_state;
        if (m_node.take_grant()) {
            m_guard = WriteGuard(m_state);
            return true;
        }
        if (!s.can_write_now()) return false;
        s.set_writer(detail::current_task_or_none());
        m_guard = WriteGuard(m_state);
        return true;
    }
    void arm(TaskId task) override { m_node.arm(m_state->waiters, task); }
    void disarm() override {
        auto& s = *m_state;
        if (m_node.disarm(s.waiters)) {  // cancelled after the grant: give the write hold back
            s.release_write();
        } else {
            s.grant();  // a writer leaving the head may unblock readers behind it
        }
    }
    void describe(WaitInfo& w) const override { m_state->describe(w); }
    WriteGuard result() { return std::move(m_guard); }

private:
    std::shared_ptr<detail::RwLockState> m_state;
    detail::QueuedWait m_node;
    WriteGuard m_guard;
};

/// A fair (FIFO) async reader-writer lock. A cheap copyable handle: copies share one lock.
class RwLock {
public:
    /// Creates and registers a new lock (must be called inside a run).
    explicit RwLock(std::string_view name = "rwlock")
        : m_state(std::make_shared<detail::RwLockState>()) {
        m_state->id = detail::register_resource(ResourceKind::rwlock, name, kUnbounded);
    }
    /// Same as the constructor.
    static RwLock create(std::string_view name = "rwlock") { return RwLock(name); }

    /// Waits for a shared hold, behind every earlier waiter (reader or writer).
    ReadOp read() const { return ReadOp(m_state); }
    /// Waits for the exclusive hold, behind every earlier waiter.
    WriteOp write() const { return WriteOp(m_state); }
    /// A shared hold if no writer holds the lock and nobody waits.
    std::optional<ReadGuard> try_read() const {
        if (!m_state->can_read_now()) return std::nullopt;
        const TaskId task = detail::current_task_or_none();
        m_state->add_reader(task);
        return ReadGuard(m_state, task);
    }
    /// The exclusive hold if nobody holds the lock and nobody waits.
    std::optional<WriteGuard> try_write() const {
        if (!m_state->can_write_now()) return std::nullopt;
        m_state->set_writer(detail::current_task_or_none());
        return WriteGuard(m_state);
    }

    /// Number of read holds now.
    std::uint32_t readers() const { return m_state->readers; }
    bool is_write_locked() const { return m_state->writer; }
    /// The task holding the write lock (0 when none).
    TaskId writer() const { return m_state->writer_task; }
    /// Number of tasks queued for the lock.
    std::uint32_t waiters() const { return m_state->waiters.size(); }
    ResourceId id() const { return m_state->id; }

private:
    std::shared_ptr<detail::RwLockState> m_state;
};

}  // namespace spindle
