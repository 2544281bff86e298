#pragma once
// broadcast: multi-producer, multi-consumer channel in which every receiver
// sees every value sent after it subscribed, with tokio's semantics.
//
// State (BroadcastChan, shared by all handles): a ring of at most `capacity`
// retained messages, each with its sequence position, message id and `rem`
// (receivers that still have to see it); `tail`, the position the next message
// gets; the live sender and receiver counts and the waiting receives. Each
// receiver owns a Cursor (its next position) that only it and its operations
// touch. Handles are touched only by tasks of the run (and destroyed after it).
// Rules:
//  - send never waits: it appends, overwriting the oldest message when the ring
//    is full, and returns how many receivers are subscribed; with none it
//    returns 0 and stores nothing (tokio: Err(SendError));
//  - a receiver whose next message was overwritten gets lagged(n), n = messages
//    it missed, and resumes at the oldest retained one, so per receiver
//    received + lagged == sent after it subscribed;
//  - recv yields closed only once every sender is dropped and the receiver has
//    drained what is retained for it;
//  - a message is released once every receiver counted in its `rem` saw it (or
//    dropped), like tokio dropping a slot's value; so the buffer length reported
//    (chan_send / chan_recv count) is the number of retained messages, which is
//    also the number not yet seen by the slowest receiver;
//  - subscribe / resubscribe start at `tail`: only later messages are seen;
//  - values are copied to each receiver (T must be copyable).
// Differences from tokio: the ring holds exactly `capacity` messages (tokio
// rounds up to a power of two) and capacity 0 becomes 1 (tokio panics).
// Dropping the last receiver does not close the channel (a sender can still
// subscribe): it shows as chan_drop(receiver, 0) only.

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "spindle/core/endpoint.h"
#include "spindle/core/operation.h"
#include "spindle/core/wake.h"

namespace spindle::broadcast {

enum class RecvStatus : std::uint8_t { ok, lagged, closed };
enum class TryRecvStatus : std::uint8_t { ok, empty, lagged, closed };

/// What recv yields: a value, how many messages were missed, or closed.
template <class T>
struct RecvResult {
    RecvStatus status = RecvStatus::closed;
    std::optional<T> value;    ///< set when status == ok
    std::uint64_t lagged = 0;  ///< messages skipped, when status == lagged
};

/// Result of try_recv: as RecvResult, plus `empty` when nothing is there yet.
template <class T>
struct TryRecv {
    TryRecvStatus status = TryRecvStatus::empty;
    std::optional<T> value;
    std::uint64_t lagged = 0;
};

namespace detail {

/// One receiver's place in the stream.
struct Cursor {
    std::uint64_t next = 0;  ///< position of the next message it will see
    bool live = true;        ///< false once the receiver is dropped
};

template <class T>
struct Slot {
    std::uint64_t pos = 0;
    std::uint64_t msg = 0;  ///< message id
    std::size_t rem = 0;    ///< receivers that have still to see it
    T value;
};

enum class Step : std::uint8_t { value, lagged, empty, closed };

template <class T>
struct BroadcastChan {
    ResourceId id = 0;
    std::uint32_t capacity = 1;
    std::deque<Slot<T>> ring;  ///< retained messages, oldest first
    std::uint64_t tail = 0;    ///< position of the next message sent
    int senders = 1;
    std::size_t receivers = 1;
    WaitList recv_waiters;

    std::uint64_t head() const { return tail - ring.size(); }
    std::uint32_t len() const { return static_cast<std::uint32_t>(ring.size()); }
    bool closed() const { return senders == 0; }

    std::shared_ptr<Cursor> subscribe() {
        ++receivers;
        auto cur = std::make_shared<Cursor>();
        cur->next = tail;
        return cur;
    }

    std::size_t send(T value) {
        if (receivers == 0) {
            spindle::detail::emit(
                payload::ChanTryFail{.chan = id, .fail = TryFail::send_closed, .len = len()});
            return 0;
        }
        if (ring.size() >= capacity) ring.pop_front();  // overwritten: its readers will lag
        const std::uint64_t msg = current_executor().next_message_id();
        ring.push_back(Slot<T>{tail++, msg, receivers, std::move(value)});
        spindle::detail::emit(payload::ChanSend{.chan = id, .message = msg, .len = len()});
        spindle::detail::wake_all(recv_waiters, id);
        return receivers;
    }

    /// One receive attempt for `cur`. Anything but `empty` has taken effect.
    Step receive(Cursor& cur, std::optional<T>& out, std::uint64_t& lagged) {
        if (cur.next < head()) {
            lagged = head() - cur.next;
            cur.next = head();
            spindle::detail::emit(payload::ChanLag{.chan = id, .skipped = lagged});
            return Step::lagged;
        }
        if (cur.next == tail) return closed() ? Step::closed : Step::empty;
        Slot<T>& s = ring[cur.next - head()];
        out.emplace(s.value);
        const std::uint64_t msg = s.msg;
        ++cur.next;
        --s.rem;
        release_seen();
        spindle::detail::emit(payload::ChanRecv{.chan = id, .message = msg, .len = len()});
        return Step::value;
    }

    /// Releases the oldest messages every receiver has seen.
    void release_seen() {
        while (!ring.empty() && ring.front().rem == 0)
            ring.pop_front();
    }

    void drop_sender() {
        --senders;
        spindle::detail::emit_drop(EndpointRole::sender, id, senders);
        if (senders == 0) {
            spindle::detail::emit_close(CloseReason::senders_dropped, id, len());
            spindle::detail::wake_all(recv_waiters, id);
        }
    }

    void drop_receiver(Cursor& cur) {
        cur.live = false;
        for (Slot<T>& s : ring)
            if (s.pos >= cur.next) --s.rem;  // it will never read these
        release_seen();
        --receivers;
        spindle::detail::emit_drop(EndpointRole::receiver, id, receivers);
    }
};

}  // namespace detail

/// Awaitable receive for one receiver; yields a RecvResult. Usable as a select
/// branch: a losing branch neither consumes a message nor reports a lag.
template <class T>
class RecvOp final : public AwaitableOperation<RecvOp<T>> {
public:
    RecvOp(std::shared_ptr<detail::BroadcastChan<T>> chan, std::shared_ptr<detail::Cursor> cursor)
        : AwaitableOperation<RecvOp<T>>(chan->id, WaitOp::recv),
          m_chan(std::move(chan)),
          m_cursor(std::move(cursor)) {}
    ~RecvOp() override { this->cancel(); }

    bool try_complete() override {
        if (!m_cursor->live) {  // its receiver was dropped meanwhile
            m_result.status = RecvStatus::closed;
            return true;
        }
        switch (m_chan->receive(*m_cursor, m_result.value, m_result.lagged)) {
            case detail::Step::value:
                m_result.status = RecvStatus::ok;
                return true;
            case detail::Step::lagged:
                m_result.status = RecvStatus::lagged;
                return true;
            case detail::Step::closed:
                m_result.status = RecvStatus::closed;
                return true;
            case detail::Step::empty:
                break;
        }
        return false;
    }
    void arm(TaskId task) override { m_node.arm(m_chan->recv_waiters, task); }
    void disarm() override { m_node.disarm(m_chan->recv_waiters); }
    void describe(WaitInfo& w) const override { w.live_senders = m_chan->senders; }
    RecvResult<T> result() { return std::move(m_result); }

private:
    std::shared_ptr<detail::BroadcastChan<T>> m_chan;
    std::shared_ptr<detail::Cursor> m_cursor;
    spindle::detail::QueuedWait m_node;
    RecvResult<T> m_result;
};

template <class T>
class Receiver;

/// The sending half. Move-only; clone() for another sender; dropping the last closes.
template <class T>
class Sender : public Endpoint<Sender<T>, detail::BroadcastChan<T>> {
    using Base = Endpoint<Sender<T>, detail::BroadcastChan<T>>;
    using Base::m_core;

public:
    using Base::Base;

    /// Sends to every current receiver without waiting; returns how many are
    /// subscribed. 0 means there is none and the value was not stored.
    std::size_t send(T value) const { return m_core->send(std::move(value)); }
    /// A new receiver that sees every message sent from now on.
    Receiver<T> subscribe() const { return Receiver<T>(m_core, m_core->subscribe()); }
    Sender clone() const {
        ++m_core->senders;
        return Sender(m_core);
    }
    /// Drops this sender now (like Rust's drop(tx)).
    using Base::drop;
    std::size_t receiver_count() const { return m_core ? m_core->receivers : 0; }
    /// Messages retained (not yet seen by the slowest receiver).
    std::uint32_t len() const { return m_core ? m_core->len() : 0; }
    using Base::valid, Base::id;

private:
    friend Base;
    static void release(std::shared_ptr<detail::BroadcastChan<T>> c) { c->drop_sender(); }
};

/// One receiving handle with its own position. Move-only; resubscribe() for another.
template <class T>
class Receiver
    : public Endpoint<Receiver<T>, detail::BroadcastChan<T>, std::shared_ptr<detail::Cursor>> {
    using Base = Endpoint<Receiver<T>, detail::BroadcastChan<T>, std::shared_ptr<detail::Cursor>>;
    using Base::m_core;
    using Base::m_extra;  // this receiver's cursor

public:
    using Base::Base;

    /// Waits for the next message: ok(value), lagged(n) or closed.
    RecvOp<T> recv() const { return RecvOp<T>(m_core, m_extra); }
    /// Receives only if something is there now (or reports lagged / closed).
    TryRecv<T> try_recv() const {
        auto& c = *m_core;
        TryRecv<T> r;
        switch (c.receive(*m_extra, r.value, r.lagged)) {
            case detail::Step::value:
                r.status = TryRecvStatus::ok;
                return r;
            case detail::Step::lagged:
                r.status = TryRecvStatus::lagged;
                return r;
            case detail::Step::closed:
                r.status = TryRecvStatus::closed;
                break;
            case detail::Step::empty:
                r.status = TryRecvStatus::empty;
                break;
        }
        const TryFail why =
            r.status == TryRecvStatus::closed ? TryFail::recv_closed : TryFail::recv_empty;
        spindle::detail::emit(payload::ChanTryFail{.chan = c.id, .fail = why, .len = c.len()});
        return r;
    }
    /// A new receiver of the same channel that sees only messages sent from now on.
    Receiver resubscribe() const { return Receiver(m_core, m_core->subscribe()); }
    /// Drops the receiver now; messages it had not seen are released for it.
    using Base::drop;
    /// Messages sent that this receiver has not received yet, including ones it
    /// will be told it lagged past (as tokio's Receiver::len).
    std::uint64_t len() const { return m_core ? m_core->tail - m_extra->next : 0; }
    bool is_empty() const { return len() == 0; }
    /// True once every sender is dropped (messages may still be retained for it).
    bool is_closed() const { return !m_core || m_core->closed(); }
    using Base::valid, Base::id;

private:
    friend Base;
    static void release(std::shared_ptr<detail::BroadcastChan<T>> c,
                        std::shared_ptr<detail::Cursor> cursor) {
        c->drop_receiver(*cursor);
    }
};

/// A broadcast channel retaining the last `capacity` (>= 1) messages.
template <class T>
std::pair<Sender<T>, Receiver<T>> channel(std::uint32_t capacity,
                                          std::string_view name = "broadcast") {
    auto chan = std::make_shared<detail::BroadcastChan<T>>();
    chan->capacity = capacity == 0 ? 1 : capacity;
    chan->id = spindle::detail::register_resource(ResourceKind::broadcast, name, chan->capacity);
    auto cursor = std::make_shared<detail::Cursor>();  // the first receiver, counted already
    return {Sender<T>(chan), Receiver<T>(chan, std::move(cursor))};
}

}  // namespace spindle::broadcast
