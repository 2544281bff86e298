// Typed event payloads: each struct lands in the generic fields event.h documents, reads
// back unchanged, and the Instrument stamps what it encodes.
#include <catch2/catch.hpp>

#include <cstdint>

#include "spindle/instrument/event_payloads.h"
#include "spindle/instrument/instrument.h"
#include "spindle/instrument/recorder.h"

using namespace spindle;

namespace {

/// Encodes `data`, decodes it back and encodes again: both events must be equal.
template <class P>
Event round_trip(const P& data) {
    Event first;
    first.kind = P::kind;
    payload::encode(data, first);
    Event second;
    second.kind = P::kind;
    payload::encode(first.as<P>(), second);
    CHECK(first == second);
    return first;
}

}  // namespace

TEST_CASE("payloads: members land in the documented generic fields") {
    const Event start = round_trip(
        payload::RunStart{.policy = Policy::global_queue, .workers = 4, .seed = 42, .config = 7});
    CHECK(start.detail == 1);
    CHECK(start.count == 4);
    CHECK(start.arg == 42);
    CHECK(start.text == 7);
    CHECK(start.object == 0);

    const Event steal = round_trip(payload::WorkerSteal{.victim = 3, .taken = 2});
    CHECK(steal.object == 3);
    CHECK(steal.count == 2);

    const Event wake =
        round_trip(payload::TaskWake{.cause = WakeCause::timer, .source = 9, .waker = 5});
    CHECK(wake.detail == static_cast<std::uint8_t>(WakeCause::timer));
    CHECK(wake.object == 9);
    CHECK(wake.arg == 5);

    const Event created = round_trip(payload::ResourceCreated{
        .resource = 2, .type = ResourceKind::watch, .capacity = kUnbounded, .name = 3});
    CHECK(created.object == 2);
    CHECK(created.detail == static_cast<std::uint8_t>(ResourceKind::watch));
    CHECK(created.count == kUnbounded);
    CHECK(created.text == 3);

    const Event send = round_trip(payload::ChanSend{.chan = 1, .message = 77, .len = 5});
    CHECK(send.object == 1);
    CHECK(send.arg == 77);
    CHECK(send.count == 5);

    const Event wait = round_trip(
        payload::WaitEnd{.resource = 4, .op = WaitOp::lock, .result = WaitResult::cancelled});
    CHECK(wait.object == 4);
    CHECK(wait.detail == static_cast<std::uint8_t>(WaitOp::lock));
    CHECK(wait.count == static_cast<std::uint32_t>(WaitResult::cancelled));

    const Event lock =
        round_trip(payload::LockRelease{.lock = 6, .mode = LockMode::permits, .permits = 3});
    CHECK(lock.kind == EventKind::lock_release);
    CHECK(lock.object == 6);
    CHECK(lock.count == 3);

    const Event timer = round_trip(payload::TimerFired{.timer = 8, .deadline_ns = 1'000'000});
    CHECK(timer.object == 8);
    CHECK(timer.arg == 1'000'000);

    const Event select =
        round_trip(payload::SelectStart{.select = 2, .branches = 3, .biased = true});
    CHECK(select.object == 2);
    CHECK(select.count == 3);
    CHECK(select.detail == 1);

    const Event winner = round_trip(payload::SelectWinner{.select = 2, .branch = 1, .name = 4});
    CHECK(winner.count == 1);
    CHECK(winner.text == 4);
}

TEST_CASE("payloads: as() reads hand-made events by name") {
    const Event e{.kind = EventKind::chan_drop, .detail = 1, .object = 3, .count = 0};
    const auto drop = e.as<payload::ChanDrop>();
    CHECK(drop.chan == 3);
    CHECK(drop.role == EndpointRole::receiver);
    CHECK(drop.live == 0);

    const Event spawn{.kind = EventKind::task_spawn, .detail = 1, .task = 2, .text = 5, .arg = 1};
    const auto s = spawn.as<payload::TaskSpawn>();
    CHECK(s.parent == 1);
    CHECK(s.flavor == TaskFlavor::blocking);
    CHECK(s.name == 5);
}

TEST_CASE("payloads: slot_of and raw_value give whole generic fields") {
    static_assert(payload::slot_of(&payload::WaitEnd::result) == payload::Slot::count);
    static_assert(payload::slot_of(&payload::TaskWake::waker) == payload::Slot::arg);
    static_assert(payload::slot_of(&payload::ChanRecv::len) == payload::Slot::count);
    // A damaged value the typed view narrows stays whole in raw_value.
    const Event e{.kind = EventKind::wait_end, .object = 1, .count = 300};
    CHECK(payload::raw_value(e, payload::slot_of(&payload::WaitEnd::result)) == 300);
}

TEST_CASE("payloads: the Instrument stamps the cursor and encodes the payload") {
    Instrument in;
    Recorder rec;
    in.subscribe(&rec);
    in.cursor() = {.time_ns = 500, .worker = 1, .task = 3};
    in.emit(payload::ChanRecv{.chan = 2, .message = 9, .len = 0});
    in.emit(payload::TaskEnd{.outcome = TaskOutcome::aborted}, 7);
    const auto& events = rec.events();
    REQUIRE(events.size() == 2);
    CHECK(events[0] == Event{.seq = 0,
                             .time_ns = 500,
                             .kind = EventKind::chan_recv,
                             .worker = 1,
                             .task = 3,
                             .object = 2,
                             .arg = 9});
    CHECK(events[1].task == 7);
    CHECK(events[1].as<payload::TaskEnd>().outcome == TaskOutcome::aborted);
}
