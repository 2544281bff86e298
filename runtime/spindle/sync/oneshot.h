#pragma once
// oneshot: a channel that carries at most one value, with tokio's semantics.
//
// State (OneshotChan, shared by the two handles): the value once sent (with its
// message id) until it is received, whether the sender is still alive, whether
// the receiver closed (or dropped) the channel, whether the value was already
// taken, and the waiting receive(s). The Sender touches it only in send / drop,
// the Receiver in recv / try_recv / close / drop; handles are touched only by
// tasks of the run (and destroyed after it).
// Rules:
//  - send stores the value and wakes the receiver; it fails (false, nothing
//    stored) once the receiver closed or dropped. Sending consumes the sender;
//  - recv yields the value; nullopt once no value can come: the sender went
//    away without sending, the receiver closed before a value arrived, or the
//    value was already taken (tokio panics when a completed receiver is polled);
//  - close() makes later sends fail; a value sent before close stays receivable;
//  - dropping the receiver discards an unreceived value.
// Events, as mpsc: chan_send (count 1) / chan_recv (count 0) carry the message
// id; the sender going away — after sending or without — emits chan_drop(sender,
// 0) then chan_close(senders_dropped, count 1 if a value still waits, else 0);
// receiver close / drop emit chan_close(receiver_closed / receiver_dropped).

#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "spindle/core/endpoint.h"
#include "spindle/core/operation.h"
#include "spindle/core/wake.h"

namespace spindle::oneshot {

enum class TryRecvStatus : std::uint8_t { ok, empty, closed };

/// Result of try_recv: the value, or why there is none.
template <class T>
struct TryRecv {
    std::optional<T> value;
    TryRecvStatus status = TryRecvStatus::empty;
};

namespace detail {

template <class T>
struct OneshotChan {
    ResourceId id = 0;
    std::optional<std::pair<std::uint64_t, T>> value;  ///< (message id, value), sent not received
    bool sender_alive = true;
    bool rx_closed = false;
    bool taken = false;  ///< the value has been received
    WaitList recv_waiters;

    std::uint32_t len() const { return value ? 1 : 0; }
    /// True when no value is there and none can come any more.
    bool finished() const { return !value && (!sender_alive || rx_closed || taken); }

    /// Moves the value into `out` if there is one; emits chan_recv.
    bool take(std::optional<T>& out) {
        if (!value) return false;
        auto [msg, v] = std::move(*value);
        value.reset();
        taken = true;
        out.emplace(std::move(v));
        spindle::detail::emit(payload::ChanRecv{.chan = id, .message = msg, .len = 0});
        return true;
    }

    void close(CloseReason why) {
        if (rx_closed) return;
        rx_closed = true;
        spindle::detail::emit_close(why, id, len());
        spindle::detail::wake_all(recv_waiters, id);
    }

    void drop_sender() {
        sender_alive = false;
        spindle::detail::emit_drop(EndpointRole::sender, id, 0);
        spindle::detail::emit_close(CloseReason::senders_dropped, id, len());
        spindle::detail::wake_all(recv_waiters, id);
    }
};

}  // namespace detail

/// Awaitable receive; yields the value, or nullopt when none can come.
/// Usable as a select branch: a losing branch takes nothing.
template <class T>
class RecvOp final : public AwaitableOperation<RecvOp<T>> {
public:
    explicit RecvOp(std::shared_ptr<detail::OneshotChan<T>> chan)
        : AwaitableOperation<RecvOp<T>>(chan->id, WaitOp::recv), m_chan(std::move(chan)) {}
    ~RecvOp() override { this->cancel(); }

    bool try_complete() override {
        auto& c = *m_chan;
        if (c.take(m_value)) return true;
        return c.finished();  // nullopt
    }
    void arm(TaskId task) override { m_node.arm(m_chan->recv_waiters, task); }
    void disarm() override { m_node.disarm(m_chan->recv_waiters); }
    void describe(WaitInfo& w) const override { w.live_senders = m_chan->sender_alive ? 1 : 0; }
    std::optional<T> result() { return std::move(m_value); }

private:
    std::shared_ptr<detail::OneshotChan<T>> m_chan;
    spindle::detail::QueuedWait m_node;
    std::optional<T> m_value;
};

/// The sending half. Move-only; send() consumes it; dropping it unsent closes the channel.
template <class T>
class Sender : public Endpoint<Sender<T>, detail::OneshotChan<T>> {
    using Base = Endpoint<Sender<T>, detail::OneshotChan<T>>;
    using Base::m_core;

public:
    using Base::Base;

    /// Stores the value for the receiver and consumes this sender. False (the
    /// value is discarded) if the receiver closed or dropped, or if this sender
    /// was already consumed.
    bool send(T value) {
        if (!m_core) return false;
        auto c = std::exchange(m_core, nullptr);
        bool ok = false;
        if (c->rx_closed) {
            spindle::detail::emit(
                payload::ChanTryFail{.chan = c->id, .fail = TryFail::send_closed, .len = c->len()});
        } else {
            const std::uint64_t msg = current_executor().next_message_id();
            c->value.emplace(msg, std::move(value));
            spindle::detail::emit(
                payload::ChanSend{.chan = c->id, .message = msg, .len = c->len()});
            spindle::detail::wake_all(c->recv_waiters, c->id);
            ok = true;
        }
        c->drop_sender();
        return ok;
    }
    /// Drops this sender now (like Rust's drop(tx)); the receiver then sees nullopt.
    using Base::drop;
    /// True once the receiver closed or dropped (a send would fail), or when consumed.
    bool is_closed() const { return !m_core || m_core->rx_closed; }
    using Base::valid, Base::id;

private:
    friend Base;
    static void release(std::shared_ptr<detail::OneshotChan<T>> c) { c->drop_sender(); }
};

/// The receiving half. Move-only.
template <class T>
class Receiver : public Endpoint<Receiver<T>, detail::OneshotChan<T>> {
    using Base = Endpoint<Receiver<T>, detail::OneshotChan<T>>;
    using Base::m_core;

public:
    using Base::Base;

    /// Waits for the value; nullopt once none can come.
    RecvOp<T> recv() const { return RecvOp<T>(m_core); }
    /// Takes the value if it is there now; `closed` once none can come.
    TryRecv<T> try_recv() const {
        auto& c = *m_core;
        TryRecv<T> r;
        if (c.take(r.value)) {
            r.status = TryRecvStatus::ok;
            return r;
        }
        const bool closed = c.finished();
        r.status = closed ? TryRecvStatus::closed : TryRecvStatus::empty;
        spindle::detail::emit(
            payload::ChanTryFail{.chan = c.id,
                                 .fail = closed ? TryFail::recv_closed : TryFail::recv_empty,
                                 .len = c.len()});
        return r;
    }
    /// Makes later sends fail; a value already sent can still be received.
    void close() const { m_core->close(CloseReason::receiver_closed); }
    /// Drops the receiver now: an unreceived value is discarded, send fails.
    using Base::drop;
    using Base::valid, Base::id;

private:
    friend Base;
    static void release(std::shared_ptr<detail::OneshotChan<T>> c) {
        c->close(CloseReason::receiver_dropped);
        c->value.reset();
        spindle::detail::emit_drop(EndpointRole::receiver, c->id, 0);
    }
};

/// A channel for one value of T.
template <class T>
std::pair<Sender<T>, Receiver<T>> channel(std::string_view name = "oneshot") {
    auto chan = std::make_shared<detail::OneshotChan<T>>();
    chan->id = spindle::detail::register_resource(ResourceKind::oneshot, name, 1);
    return {Sender<T>(chan), Receiver<T>(chan)};
}

}  // namespace spindle::oneshot
