#pragma once
// watch: a channel that holds only the latest value, with tokio's semantics.
//
// State (WatchChan, shared by all handles): the current value, its version
// (bumped by every send) and message id (0 for the initial value), the live
// sender and receiver counts and the waiting changed() operations. Each
// receiver owns a Seen record (the version it last observed) that only it and
// its operations touch. Handles are touched only by tasks of the run (and
// destroyed after it).
// Rules:
//  - the initial value counts as seen, and so does the current value for a
//    receiver made by subscribe(); clone() copies the clone's seen version;
//  - send stores the value, bumps the version and wakes changed() waiters, but
//    only while a receiver exists: with none it returns false and stores
//    nothing (tokio's send). send_replace stores in every case and returns the
//    previous value (tokio's send_replace);
//  - changed() yields true as soon as a version newer than the one seen exists
//    and marks it seen, so sends in between coalesce; false once every sender is
//    dropped and the current version is seen;
//  - borrow() does not mark the value seen, borrow_and_update() does;
//  - has_changed() is nullopt once every sender is dropped (tokio's Err), even
//    if a version is unseen; otherwise whether one is.
// Events: the buffer length (count) is always 1, the one value held. chan_send
// carries the new value's message id; chan_recv is emitted when a receiver
// marks a newer version seen (changed() or borrow_and_update()), with the id of
// the value observed. Dropping the last receiver does not close the channel (a
// sender can still subscribe): it shows as chan_drop(receiver, 0) only.

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "spindle/core/endpoint.h"
#include "spindle/core/operation.h"
#include "spindle/core/wake.h"

namespace spindle::watch {

namespace detail {

/// What one receiver has observed.
struct Seen {
    std::uint64_t version = 0;
    bool live = true;  ///< false once the receiver is dropped
};

template <class T>
struct WatchChan {
    explicit WatchChan(T initial) : value(std::move(initial)) {}

    ResourceId id = 0;
    T value;
    std::uint64_t version = 0;
    std::uint64_t msg = 0;  ///< message id of the current value (0 = the initial one)
    int senders = 1;
    std::size_t receivers = 1;
    WaitList changed_waiters;

    bool closed() const { return senders == 0; }

    /// Stores a new value; returns the previous one.
    T replace(T v) {
        T old = std::exchange(value, std::move(v));
        ++version;
        msg = current_executor().next_message_id();
        spindle::detail::emit(payload::ChanSend{.chan = id, .message = msg, .len = 1});
        spindle::detail::wake_all(changed_waiters, id);
        return old;
    }

    /// Marks the current version seen by `seen`; true (and chan_recv) if it was newer.
    bool observe(Seen& seen) {
        if (seen.version == version) return false;
        seen.version = version;
        spindle::detail::emit(payload::ChanRecv{.chan = id, .message = msg, .len = 1});
        return true;
    }

    std::shared_ptr<Seen> subscribe(std::uint64_t seen_version) {
        ++receivers;
        auto s = std::make_shared<Seen>();
        s->version = seen_version;
        return s;
    }

    void drop_sender() {
        --senders;
        spindle::detail::emit_drop(EndpointRole::sender, id, senders);
        if (senders == 0) {
            spindle::detail::emit_close(CloseReason::senders_dropped, id, 1);
            spindle::detail::wake_all(changed_waiters, id);
        }
    }

    void drop_receiver(Seen& seen) {
        seen.live = false;
        --receivers;
        spindle::detail::emit_drop(EndpointRole::receiver, id, receivers);
    }
};

}  // namespace detail

/// Awaitable change notification; yields true when a newer version was marked
/// seen, false once the senders are gone and nothing is unseen. Usable as a
/// select branch: a losing branch marks nothing seen.
template <class T>
class ChangedOp final : public AwaitableOperation<ChangedOp<T>> {
public:
    ChangedOp(std::shared_ptr<detail::WatchChan<T>> chan, std::shared_ptr<detail::Seen> seen)
        : AwaitableOperation<ChangedOp<T>>(chan->id, WaitOp::changed),
          m_chan(std::move(chan)),
          m_seen(std::move(seen)) {}
    ~ChangedOp() override { this->cancel(); }

    bool try_complete() override {
        auto& c = *m_chan;
        if (!m_seen->live) {  // its receiver was dropped meanwhile
            m_changed = false;
            return true;
        }
        if (c.observe(*m_seen)) {
            m_changed = true;
            return true;
        }
        m_changed = false;
        return c.closed();
    }
    void arm(TaskId task) override { m_node.arm(m_chan->changed_waiters, task); }
    void disarm() override { m_node.disarm(m_chan->changed_waiters); }
    void describe(WaitInfo& w) const override { w.live_senders = m_chan->senders; }
    bool result() const { return m_changed; }

private:
    std::shared_ptr<detail::WatchChan<T>> m_chan;
    std::shared_ptr<detail::Seen> m_seen;
    spindle::detail::QueuedWait m_node;
    bool m_changed = false;
};

template <class T>
class Receiver;

/// The sending half. Move-only; clone() for another sender; dropping the last closes.
template <class T>
class Sender : public Endpoint<Sender<T>, detail::WatchChan<T>> {
    using Base = Endpoint<Sender<T>, detail::WatchChan<T>>;
    using Base::m_core;

public:
    using Base::Base;

    /// Stores the value and notifies receivers; false (nothing stored) when no
    /// receiver exists.
    bool send(T value) const {
        auto& c = *m_core;
        if (c.receivers == 0) {
            spindle::detail::emit(
                payload::ChanTryFail{.chan = c.id, .fail = TryFail::send_closed, .len = 1});
            return false;
        }
        c.replace(std::move(value));
        return true;
    }
    /// Stores the value even with no receiver; returns the previous value.
    T send_replace(T value) const { return m_core->replace(std::move(value)); }
    /// The current value; it reflects later sends (copy it for a snapshot).
    const T& borrow() const { return m_core->value; }
    /// A new receiver for which the current value counts as seen.
    Receiver<T> subscribe() const {
        return Receiver<T>(m_core, m_core->subscribe(m_core->version));
    }
    Sender clone() const {
        ++m_core->senders;
        return Sender(m_core);
    }
    /// Drops this sender now (like Rust's drop(tx)).
    using Base::drop;
    std::size_t receiver_count() const { return m_core ? m_core->receivers : 0; }
    /// True when no receiver exists (a send would fail).
    bool is_closed() const { return !m_core || m_core->receivers == 0; }
    using Base::valid, Base::id;

private:
    friend Base;
    static void release(std::shared_ptr<detail::WatchChan<T>> c) { c->drop_sender(); }
};

/// A receiving handle with its own seen version. Move-only; clone() for another.
template <class T>
class Receiver : public Endpoint<Receiver<T>, detail::WatchChan<T>, std::shared_ptr<detail::Seen>> {
    using Base = Endpoint<Receiver<T>, detail::WatchChan<T>, std::shared_ptr<detail::Seen>>;
    using Base::m_core;
    using Base::m_extra;  // what this receiver has seen

public:
    using Base::Base;

    /// The current value, without marking it seen; it reflects later sends.
    const T& borrow() const { return m_core->value; }
    /// The current value, marked seen.
    const T& borrow_and_update() const {
        m_core->observe(*m_extra);
        return m_core->value;
    }
    /// Waits for a version newer than the one seen: true (now seen), or false
    /// once every sender is dropped and nothing is unseen.
    ChangedOp<T> changed() const { return ChangedOp<T>(m_core, m_extra); }
    /// Whether an unseen version exists; nullopt once every sender is dropped.
    std::optional<bool> has_changed() const {
        if (m_core->closed()) return std::nullopt;
        return m_extra->version != m_core->version;
    }
    /// Another receiver that has seen what this one has.
    Receiver clone() const { return Receiver(m_core, m_core->subscribe(m_extra->version)); }
    /// Drops this receiver now.
    using Base::drop;
    using Base::valid, Base::id;

private:
    friend Base;
    static void release(std::shared_ptr<detail::WatchChan<T>> c,
                        std::shared_ptr<detail::Seen> seen) {
        c->drop_receiver(*seen);
    }
};

/// A watch channel starting at `initial` (which counts as seen).
template <class T>
std::pair<Sender<T>, Receiver<T>> channel(T initial, std::string_view name = "watch") {
    auto chan = std::make_shared<detail::WatchChan<T>>(std::move(initial));
    chan->id = spindle::detail::register_resource(ResourceKind::watch, name, 1);
    return {Sender<T>(chan), Receiver<T>(chan, std::make_shared<detail::Seen>())};
}

}  // namespace spindle::watch
