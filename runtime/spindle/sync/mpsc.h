#pragma once
// mpsc: multi-producer, single-consumer channels, bounded and unbounded, with
// tokio's semantics.
//
// State (MpscChan, shared by all handles): the buffer of (message id, value),
// the live sender count, whether the receiver closed, the FIFO of waiting
// senders and the waiting receiver(s), and `reserved` — slots already granted
// to waiting senders that have not yet been polled to fill them.
// Rules:
//  - bounded send waits while buffer + reserved reaches capacity; a freed slot is
//    granted to the longest-waiting sender (FIFO); a new sender never overtakes
//    queued ones; a cancelled sender returns its grant, so it enqueues nothing;
//  - recv yields "closed" (nullopt) only once every sender is dropped (or the
//    receiver closed) and the buffer is drained;
//  - send fails once the receiver is closed or dropped; dropping the receiver
//    discards what is buffered;
//  - messages of one sender arrive in the order sent (one FIFO buffer).
// Handles are touched only by tasks of the run (and destroyed after it).

#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "spindle/core/endpoint.h"
#include "spindle/core/fifo.h"
#include "spindle/core/operation.h"
#include "spindle/core/wake.h"

namespace spindle::mpsc {

enum class SendStatus : std::uint8_t { ok, closed };
enum class TrySendStatus : std::uint8_t { ok, full, closed };
enum class TryRecvStatus : std::uint8_t { ok, empty, closed };

/// Result of try_recv: a value, or why there is none.
template <class T>
struct TryRecv {
    std::optional<T> value;
    TryRecvStatus status = TryRecvStatus::empty;
};

namespace detail {

template <class T>
struct MpscChan {
    ResourceId id = 0;
    std::uint32_t capacity = kUnbounded;
    Fifo<std::pair<std::uint64_t, T>> buffer;
    std::uint32_t reserved = 0;
    int senders = 1;
    bool rx_closed = false;
    WaitList send_waiters;
    WaitList recv_waiters;

    bool bounded() const { return capacity != kUnbounded; }
    std::uint32_t len() const { return static_cast<std::uint32_t>(buffer.size()); }
    std::uint64_t free_slots() const {
        if (!bounded()) return ~std::uint64_t{0};
        const std::uint64_t used = buffer.size() + reserved;
        return used >= capacity ? 0 : capacity - used;
    }

    void push(T value) {
        const std::uint64_t msg = current_executor().next_message_id();
        buffer.emplace_back(msg, std::move(value));
        spindle::detail::emit(payload::ChanSend{.chan = id, .message = msg, .len = len()});
        spindle::detail::wake_all(recv_waiters, id);
    }

    /// Takes the oldest message (the buffer must not be empty); its slot goes
    /// to the oldest waiting sender.
    T pop() {
        auto [msg, value] = std::move(buffer.front());
        buffer.pop_front();
        spindle::detail::emit(payload::ChanRecv{.chan = id, .message = msg, .len = len()});
        grant_slots();
        return std::move(value);
    }

    /// Hands free slots to waiting senders, oldest first.
    void grant_slots() {
        while (free_slots() > 0 && !send_waiters.empty()) {
            WaitNode* n = send_waiters.pop_front();
            n->granted = 1;
            ++reserved;
            spindle::detail::wake_task(n->task, id);
        }
    }

    void close(CloseReason why) {
        if (rx_closed) return;
        rx_closed = true;
        spindle::detail::emit_close(why, id, len());
        spindle::detail::wake_all(send_waiters, id);
    }

    void drop_sender() {
        --senders;
        spindle::detail::emit_drop(EndpointRole::sender, id, senders);
        if (senders == 0) {
            spindle::detail::emit_close(CloseReason::senders_dropped, id, len());
            spindle::detail::wake_all(recv_waiters, id);
        }
    }
};

}  // namespace detail

/// Awaitable send; yields SendStatus. Usable as a select branch (cancel-safe).
template <class T>
class SendOp final : public AwaitableOperation<SendOp<T>> {
public:
    SendOp(std::shared_ptr<detail::MpscChan<T>> chan, T value)
        : AwaitableOperation<SendOp<T>>(chan->id, WaitOp::send),
          m_chan(std::move(chan)),
          m_value(std::move(value)) {}
    ~SendOp() override { this->cancel(); }

    bool try_complete() override {
        auto& c = *m_chan;
        if (m_node.take_grant()) {  // a slot was reserved for us while we waited
            --c.reserved;
            if (c.rx_closed) {
                m_status = SendStatus::closed;
                return true;
            }
            c.push(std::move(*m_value));
            m_status = SendStatus::ok;
            return true;
        }
        if (c.rx_closed) {
            m_status = SendStatus::closed;
            return true;
        }
        if (c.free_slots() > 0 && c.send_waiters.empty()) {
            c.push(std::move(*m_value));
            m_status = SendStatus::ok;
            return true;
        }
        return false;
    }
    void arm(TaskId task) override { m_node.arm(m_chan->send_waiters, task); }
    void disarm() override {
        auto& c = *m_chan;
        if (m_node.disarm(c.send_waiters)) {  // cancelled after a slot was granted: pass it on
            --c.reserved;
            c.grant_slots();
        }
    }
    SendStatus result() const { return m_status; }

private:
    std::shared_ptr<detail::MpscChan<T>> m_chan;
    std::optional<T> m_value;
    spindle::detail::QueuedWait m_node;
    SendStatus m_status = SendStatus::closed;
};

/// Awaitable receive; yields the value, or nullopt once closed and drained.
template <class T>
class RecvOp final : public AwaitableOperation<RecvOp<T>> {
public:
    explicit RecvOp(std::shared_ptr<detail::MpscChan<T>> chan)
        : AwaitableOperation<RecvOp<T>>(chan->id, WaitOp::recv), m_chan(std::move(chan)) {}
    ~RecvOp() override { this->cancel(); }

    bool try_complete() override {
        auto& c = *m_chan;
        if (!c.buffer.empty()) {
            m_value.emplace(c.pop());
            return true;
        }
        return c.senders == 0 || c.rx_closed;  // closed and drained: nullopt
    }
    void arm(TaskId task) override { m_node.arm(m_chan->recv_waiters, task); }
    void disarm() override { m_node.disarm(m_chan->recv_waiters); }
    void describe(WaitInfo& w) const override { w.live_senders = m_chan->senders; }
    std::optional<T> result() { return std::move(m_value); }

private:
    std::shared_ptr<detail::MpscChan<T>> m_chan;
    spindle::detail::QueuedWait m_node;
    std::optional<T> m_value;
};

/// The sending half. Move-only; clone() for another sender; dropping the last closes.
template <class T>
class Sender : public Endpoint<Sender<T>, detail::MpscChan<T>> {
    using Base = Endpoint<Sender<T>, detail::MpscChan<T>>;
    using Base::m_core;

public:
    using Base::Base;

    /// Waits for capacity, then enqueues; `closed` if the receiver is gone.
    SendOp<T> send(T value) const { return SendOp<T>(m_core, std::move(value)); }
    /// Enqueues only if there is room now.
    TrySendStatus try_send(T value) const {
        auto& c = *m_core;
        if (c.rx_closed) return fail(TryFail::send_closed, TrySendStatus::closed);
        if (c.free_slots() == 0 || !c.send_waiters.empty())
            return fail(TryFail::send_full, TrySendStatus::full);
        c.push(std::move(value));
        return TrySendStatus::ok;
    }
    /// Whether send would complete now without waiting (room, and nobody queued first).
    bool can_send_now() const {
        return m_core && !m_core->rx_closed && m_core->free_slots() > 0 &&
               m_core->send_waiters.empty();
    }
    Sender clone() const {
        ++m_core->senders;
        return Sender(m_core);
    }
    /// Drops this sender now (like Rust's drop(tx)).
    using Base::drop;
    bool is_closed() const { return !m_core || m_core->rx_closed; }
    using Base::valid, Base::id;

private:
    friend Base;
    static void release(std::shared_ptr<detail::MpscChan<T>> c) { c->drop_sender(); }
    TrySendStatus fail(TryFail why, TrySendStatus s) const {
        spindle::detail::emit(
            payload::ChanTryFail{.chan = m_core->id, .fail = why, .len = m_core->len()});
        return s;
    }
};

/// The receiving half. Move-only.
template <class T>
class Receiver : public Endpoint<Receiver<T>, detail::MpscChan<T>> {
    using Base = Endpoint<Receiver<T>, detail::MpscChan<T>>;
    using Base::m_core;

public:
    using Base::Base;

    RecvOp<T> recv() const { return RecvOp<T>(m_core); }
    TryRecv<T> try_recv() const {
        auto& c = *m_core;
        TryRecv<T> r;
        if (!c.buffer.empty()) {
            r.value.emplace(c.pop());
            r.status = TryRecvStatus::ok;
            return r;
        }
        const bool closed = c.senders == 0 || c.rx_closed;
        r.status = closed ? TryRecvStatus::closed : TryRecvStatus::empty;
        spindle::detail::emit(
            payload::ChanTryFail{.chan = c.id,
                                 .fail = closed ? TryFail::recv_closed : TryFail::recv_empty,
                                 .len = c.len()});
        return r;
    }
    /// Stops new sends; buffered messages can still be received.
    void close() const { m_core->close(CloseReason::receiver_closed); }
    /// Drops the receiver now: buffered messages are discarded, senders fail.
    using Base::drop;
    std::uint32_t len() const { return m_core ? m_core->len() : 0; }
    bool is_closed() const { return !m_core || m_core->rx_closed || m_core->senders == 0; }
    using Base::valid, Base::id;

private:
    friend Base;
    static void release(std::shared_ptr<detail::MpscChan<T>> c) {
        c->close(CloseReason::receiver_dropped);
        c->buffer.clear();
        spindle::detail::emit_drop(EndpointRole::receiver, c->id, 0);
    }
};

namespace detail {
template <class T>
std::pair<Sender<T>, Receiver<T>> make(std::uint32_t capacity, std::string_view name) {
    auto chan = std::make_shared<MpscChan<T>>();
    chan->capacity = capacity;
    chan->id = spindle::detail::register_resource(ResourceKind::mpsc, name, capacity);
    return {Sender<T>(chan), Receiver<T>(chan)};
}
}  // namespace detail

/// A bounded channel holding at most `capacity` (>= 1) messages.
template <class T>
std::pair<Sender<T>, Receiver<T>> channel(std::uint32_t capacity, std::string_view name = "mpsc") {
    return detail::make<T>(capacity == 0 ? 1 : capacity, name);
}

/// A channel whose send never waits.
template <class T>
std::pair<Sender<T>, Receiver<T>> unbounded(std::string_view name = "mpsc") {
    return detail::make<T>(kUnbounded, name);
}

}  // namespace spindle::mpsc
