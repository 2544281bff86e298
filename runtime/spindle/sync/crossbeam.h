#pragma once
// crossbeam: multi-producer, multi-consumer channels with crossbeam-channel's
// semantics — bounded (including zero capacity), unbounded, both ends clonable.
//
// State (Chan, shared by every handle): the buffer of (message id, value), live
// sender and receiver counts, the FIFO of waiting senders, the FIFO of waiting
// receivers, `reserved` (slots granted to waiting senders not yet polled to fill
// them) and `recv_armed` (receivers waiting, queued or already notified).
// Rules:
//  - each message is received exactly once, by one receiver; messages leave in the
//    order they entered (one FIFO buffer);
//  - a message entering wakes one waiting receiver, the longest waiting (no herd); a
//    notified receiver that finds the buffer empty queues again; one that withdraws
//    passes its notice on;
//  - bounded send waits while buffer + reserved reaches capacity; freed slots go to
//    the longest-waiting sender; a zero-capacity channel has a slot for each waiting
//    receiver (a send completes only when a receiver takes it: a rendezvous);
//  - recv yields nullopt once every sender is dropped and the buffer is empty;
//    send fails once every receiver is dropped (the buffer is discarded then).
// The channel never decides whether a wait blocks a thread: the caller does
// (BlockingScope), as crossbeam's operations always block the calling thread.
// Handles are touched only by tasks of the run (and destroyed after it).

#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "spindle/core/endpoint.h"
#include "spindle/core/fifo.h"
#include "spindle/core/operation.h"
#include "spindle/core/wake.h"

namespace spindle::crossbeam {

enum class SendStatus : std::uint8_t { ok, disconnected };
enum class TrySendStatus : std::uint8_t { ok, full, disconnected };
enum class TryRecvStatus : std::uint8_t { ok, empty, disconnected };

template <class T>
struct TryRecv {
    std::optional<T> value;
    TryRecvStatus status = TryRecvStatus::empty;
};

namespace detail {

template <class T>
struct Chan {
    ResourceId id = 0;
    std::uint32_t capacity = kUnbounded;
    Fifo<std::pair<std::uint64_t, T>> buffer;
    std::uint32_t reserved = 0;
    std::uint32_t recv_armed = 0;
    int senders = 1;
    int receivers = 1;
    WaitList send_waiters;
    WaitList recv_waiters;

    std::uint32_t len() const { return static_cast<std::uint32_t>(buffer.size()); }
    bool disconnected_for_send() const { return receivers == 0; }
    bool disconnected_for_recv() const { return senders == 0; }
    std::uint64_t free_slots() const {
        if (capacity == kUnbounded) return ~std::uint64_t{0};
        const std::uint64_t room = capacity == 0 ? recv_armed : capacity;
        const std::uint64_t used = buffer.size() + reserved;
        return used >= room ? 0 : room - used;
    }

    void push(T value) {
        const std::uint64_t msg = current_executor().next_message_id();
        buffer.emplace_back(msg, std::move(value));
        spindle::detail::emit(payload::ChanSend{.chan = id, .message = msg, .len = len()});
        notify_receiver();
    }

    /// Wakes the longest-waiting receiver, if any, for one buffered message.
    void notify_receiver() {
        if (WaitNode* n = recv_waiters.pop_front()) {
            n->granted = 1;
            spindle::detail::wake_task(n->task, id);
        }
    }

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

    void drop_sender() {
        --senders;
        spindle::detail::emit_drop(EndpointRole::sender, id, senders);
        if (senders == 0) {
            spindle::detail::emit_close(CloseReason::senders_dropped, id, len());
            spindle::detail::wake_all(recv_waiters, id);
        }
    }

    void drop_receiver() {
        --receivers;
        spindle::detail::emit_drop(EndpointRole::receiver, id, receivers);
        if (receivers == 0) {
            spindle::detail::emit_close(CloseReason::receiver_dropped, id, len());
            buffer.clear();
            spindle::detail::wake_all(send_waiters, id);
        }
    }
};

}  // namespace detail

/// Awaitable send; yields SendStatus. Usable as a select branch (cancel-safe).
template <class T>
class SendOp final : public AwaitableOperation<SendOp<T>> {
public:
    SendOp(std::shared_ptr<detail::Chan<T>> chan, T value)
        : AwaitableOperation<SendOp<T>>(chan->id, WaitOp::send),
          m_chan(std::move(chan)),
          m_value(std::move(value)) {}
    ~SendOp() override { this->cancel(); }

    bool try_complete() override {
        auto& c = *m_chan;
        const bool granted = m_node.take_grant() != 0;
        if (granted) --c.reserved;
        if (c.disconnected_for_send()) {
            m_status = SendStatus::disconnected;
            return true;
        }
        if (granted || (c.free_slots() > 0 && c.send_waiters.empty())) {
            c.push(std::move(*m_value));
            m_status = SendStatus::ok;
            return true;
        }
        return false;
    }
    void arm(TaskId task) override { m_node.arm(m_chan->send_waiters, task); }
    void disarm() override {
        auto& c = *m_chan;
        if (m_node.disarm(c.send_waiters)) {  // withdrawn after a slot was granted: pass it on
            --c.reserved;
            c.grant_slots();
        }
    }
    SendStatus result() const { return m_status; }

private:
    std::shared_ptr<detail::Chan<T>> m_chan;
    std::optional<T> m_value;
    spindle::detail::QueuedWait m_node;
    SendStatus m_status = SendStatus::disconnected;
};

/// Awaitable receive; yields the value, or nullopt once disconnected and empty.
template <class T>
class RecvOp final : public AwaitableOperation<RecvOp<T>> {
public:
    explicit RecvOp(std::shared_ptr<detail::Chan<T>> chan)
        : AwaitableOperation<RecvOp<T>>(chan->id, WaitOp::recv), m_chan(std::move(chan)) {}
    ~RecvOp() override { this->cancel(); }

    bool try_complete() override {
        auto& c = *m_chan;
        const bool notified = m_node.take_grant() != 0;
        if (!c.buffer.empty()) {
            m_value.emplace(c.pop());
            return true;
        }
        if (c.disconnected_for_recv()) return true;  // nullopt
        // Notified, but another receiver took the message first: queue again.
        if (notified && this->waiting()) c.recv_waiters.push_back(m_node);
        return false;
    }
    void arm(TaskId task) override {
        auto& c = *m_chan;
        m_node.arm(c.recv_waiters, task);
        ++c.recv_armed;
        if (c.capacity == 0) c.grant_slots();  // a rendezvous: a sender may hand over now
    }
    void disarm() override {
        auto& c = *m_chan;
        --c.recv_armed;
        // Withdrawn after being notified: the message it was woken for goes to the next.
        if (m_node.disarm(c.recv_waiters) && !c.buffer.empty()) c.notify_receiver();
    }
    void describe(WaitInfo& w) const override { w.live_senders = m_chan->senders; }
    std::optional<T> result() { return std::move(m_value); }

private:
    std::shared_ptr<detail::Chan<T>> m_chan;
    spindle::detail::QueuedWait m_node;
    std::optional<T> m_value;
};

/// The sending half. Move-only; clone() for another; dropping the last disconnects.
template <class T>
class Sender : public Endpoint<Sender<T>, detail::Chan<T>> {
    using Base = Endpoint<Sender<T>, detail::Chan<T>>;
    using Base::m_core;

public:
    using Base::Base;

    /// Waits for room (for a receiver, at capacity 0), then enqueues; `disconnected`
    /// once every receiver is gone.
    SendOp<T> send(T value) const { return SendOp<T>(m_core, std::move(value)); }
    TrySendStatus try_send(T value) const {
        auto& c = *m_core;
        if (c.disconnected_for_send())
            return fail(TryFail::send_closed, TrySendStatus::disconnected);
        if (c.free_slots() == 0 || !c.send_waiters.empty())
            return fail(TryFail::send_full, TrySendStatus::full);
        c.push(std::move(value));
        return TrySendStatus::ok;
    }
    /// Whether send would complete now without waiting.
    bool can_send_now() const {
        return m_core && !m_core->disconnected_for_send() && m_core->free_slots() > 0 &&
               m_core->send_waiters.empty();
    }
    Sender clone() const {
        ++m_core->senders;
        return Sender(m_core);
    }
    using Base::drop;
    using Base::valid, Base::id;
    std::uint32_t len() const { return m_core ? m_core->len() : 0; }
    std::uint32_t capacity() const { return m_core ? m_core->capacity : 0; }

private:
    friend Base;
    static void release(std::shared_ptr<detail::Chan<T>> c) { c->drop_sender(); }
    TrySendStatus fail(TryFail why, TrySendStatus s) const {
        spindle::detail::emit(
            payload::ChanTryFail{.chan = m_core->id, .fail = why, .len = m_core->len()});
        return s;
    }
};

/// The receiving half. Move-only; clone() for another (each message goes to one).
template <class T>
class Receiver : public Endpoint<Receiver<T>, detail::Chan<T>> {
    using Base = Endpoint<Receiver<T>, detail::Chan<T>>;
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
        const bool gone = c.disconnected_for_recv();
        r.status = gone ? TryRecvStatus::disconnected : TryRecvStatus::empty;
        spindle::detail::emit(
            payload::ChanTryFail{.chan = c.id,
                                 .fail = gone ? TryFail::recv_closed : TryFail::recv_empty,
                                 .len = c.len()});
        return r;
    }
    Receiver clone() const {
        ++m_core->receivers;
        return Receiver(m_core);
    }
    using Base::drop;
    using Base::valid, Base::id;
    std::uint32_t len() const { return m_core ? m_core->len() : 0; }

private:
    friend Base;
    static void release(std::shared_ptr<detail::Chan<T>> c) { c->drop_receiver(); }
};

namespace detail {
template <class T>
std::pair<Sender<T>, Receiver<T>> make(std::uint32_t capacity, std::string_view name) {
    auto chan = std::make_shared<Chan<T>>();
    chan->capacity = capacity;
    chan->id = spindle::detail::register_resource(ResourceKind::crossbeam, name, capacity);
    return {Sender<T>(chan), Receiver<T>(chan)};
}
}  // namespace detail

/// A channel holding at most `capacity` messages; 0 makes a rendezvous channel.
template <class T>
std::pair<Sender<T>, Receiver<T>> bounded(std::uint32_t capacity,
                                          std::string_view name = "crossbeam") {
    return detail::make<T>(capacity == kUnbounded ? kUnbounded - 1 : capacity, name);
}

/// A channel whose send never waits.
template <class T>
std::pair<Sender<T>, Receiver<T>> unbounded(std::string_view name = "crossbeam") {
    return detail::make<T>(kUnbounded, name);
}

}  // namespace spindle::crossbeam
