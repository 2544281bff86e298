// oneshot: one value, sender / receiver drop and close, try_recv, select cancellation.
#include <catch2/catch.hpp>

#include <optional>
#include <set>
#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/oneshot.h"
#include "spindle/sync/select.h"

using namespace spindle;

namespace {

using rt_test::kMs;
using rt_test::of_kind;
using rt_test::u8;

RuntimeConfig config(std::uint64_t seed = 1) {
    return rt_test::config_with(2, seed);
}

}  // namespace

TEST_CASE("oneshot: a sent value reaches the waiting receiver", "[oneshot]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    std::optional<int> got;
    Nanos got_at{};
    TaskId rx_task = 0;
    rt.block_on([](std::optional<int>& got, Nanos& at, TaskId& rx_task) -> Task<void> {
        auto [tx, rx] = oneshot::channel<int>("reply");
        auto h = spawn(
            "rx", [](oneshot::Receiver<int> rx, std::optional<int>& got, Nanos& at) -> Task<void> {
                got = co_await rx.recv();
                at = now();
            }(std::move(rx), got, at));
        rx_task = h.id();
        co_await sleep(kMs);
        CHECK_FALSE(tx.is_closed());
        CHECK(tx.send(42));
        CHECK_FALSE(tx.valid());  // send consumed the sender
        CHECK_FALSE(tx.send(43));
        co_await h;
    }(got, got_at, rx_task));
    REQUIRE(got.has_value());
    CHECK(*got == 42);
    CHECK(got_at >= kMs);  // it really waited for the send

    auto created = of_kind(rec, EventKind::resource_created);
    REQUIRE(created.size() == 1);
    CHECK(created[0].detail == u8(ResourceKind::oneshot));
    CHECK(created[0].count == 1);
    CHECK(rec.text(created[0].text) == "reply");
    const ResourceId id = created[0].object;

    auto sends = of_kind(rec, EventKind::chan_send);
    auto recvs = of_kind(rec, EventKind::chan_recv);
    REQUIRE(sends.size() == 1);
    REQUIRE(recvs.size() == 1);
    CHECK(sends[0].object == id);
    CHECK(sends[0].count == 1);
    CHECK(recvs[0].object == id);
    CHECK(recvs[0].count == 0);
    CHECK(recvs[0].arg == sends[0].arg);  // same message id
    CHECK(recvs[0].task == rx_task);
    CHECK(sends[0].seq < recvs[0].seq);

    bool waited = false;
    for (const Event& e : of_kind(rec, EventKind::wait_start))
        waited |= e.object == id && e.detail == u8(WaitOp::recv) && e.task == rx_task;
    CHECK(waited);
}

TEST_CASE("oneshot: dropping the sender unsent gives the receiver nullopt", "[oneshot]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    bool resolved = false;
    std::optional<int> got = 99;
    rt.block_on([](bool& resolved, std::optional<int>& got) -> Task<void> {
        auto [tx, rx] = oneshot::channel<int>();
        auto h = spawn(
            "rx",
            [](oneshot::Receiver<int> rx, bool& resolved, std::optional<int>& got) -> Task<void> {
                got = co_await rx.recv();
                resolved = true;
            }(std::move(rx), resolved, got));
        co_await sleep(kMs);
        CHECK_FALSE(resolved);
        tx.drop();
        co_await h;
    }(resolved, got));
    CHECK(resolved);
    CHECK_FALSE(got.has_value());
    CHECK(rt.outcome() == RunOutcome::completed);

    auto closes = of_kind(rec, EventKind::chan_close);
    REQUIRE(closes.size() >= 1);
    CHECK(closes[0].detail == u8(CloseReason::senders_dropped));
    CHECK(closes[0].count == 0);  // nothing was waiting in the channel
    auto drops = of_kind(rec, EventKind::chan_drop);
    REQUIRE(drops.size() == 2);
    CHECK(drops[0].detail == u8(EndpointRole::sender));
    CHECK(drops[1].detail == u8(EndpointRole::receiver));
    CHECK(of_kind(rec, EventKind::chan_send).empty());
}

TEST_CASE("oneshot: send fails once the receiver is dropped or closed", "[oneshot]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        {
            auto [tx, rx] = oneshot::channel<int>("dropped");
            CHECK_FALSE(tx.is_closed());
            rx.drop();
            CHECK(tx.is_closed());
            CHECK_FALSE(tx.send(1));
            CHECK_FALSE(tx.valid());
        }
        {
            auto [tx, rx] = oneshot::channel<int>("closed");
            rx.close();
            CHECK(tx.is_closed());
            CHECK_FALSE(tx.send(2));
            CHECK(rx.try_recv().status == oneshot::TryRecvStatus::closed);
            auto v = co_await rx.recv();
            CHECK_FALSE(v.has_value());
        }
        {
            // Closed while the sender is alive and nothing was sent: no value can come.
            auto [tx, rx] = oneshot::channel<int>("closed-early");
            rx.close();
            CHECK(tx.valid());
            CHECK(rx.try_recv().status == oneshot::TryRecvStatus::closed);
            auto v = co_await rx.recv();
            CHECK_FALSE(v.has_value());
            CHECK_FALSE(tx.send(3));
        }
        {
            // A value sent before close stays receivable.
            auto [tx, rx] = oneshot::channel<int>("sent-then-closed");
            CHECK(tx.send(7));
            rx.close();
            auto v = co_await rx.recv();
            REQUIRE(v.has_value());
            CHECK(*v == 7);
        }
    }());
    CHECK(rt.outcome() == RunOutcome::completed);
    // The two failed sends are visible; only the successful one was sent.
    std::size_t send_closed = 0;
    for (const Event& e : of_kind(rec, EventKind::chan_try_fail))
        send_closed += e.detail == u8(TryFail::send_closed);
    CHECK(send_closed == 3);
    CHECK(of_kind(rec, EventKind::chan_send).size() == 1);
    CHECK(of_kind(rec, EventKind::chan_recv).size() == 1);
}

TEST_CASE("oneshot: try_recv reports empty, then the value, then closed", "[oneshot]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = oneshot::channel<int>();
        auto r = rx.try_recv();
        CHECK(r.status == oneshot::TryRecvStatus::empty);
        CHECK_FALSE(r.value.has_value());
        CHECK(tx.send(5));
        r = rx.try_recv();
        CHECK(r.status == oneshot::TryRecvStatus::ok);
        REQUIRE(r.value.has_value());
        CHECK(*r.value == 5);
        r = rx.try_recv();  // taken already: nothing more can come
        CHECK(r.status == oneshot::TryRecvStatus::closed);
        auto v = co_await rx.recv();
        CHECK_FALSE(v.has_value());

        auto [tx2, rx2] = oneshot::channel<int>();
        tx2.drop();
        CHECK(rx2.try_recv().status == oneshot::TryRecvStatus::closed);
    }());
    auto fails = of_kind(rec, EventKind::chan_try_fail);
    REQUIRE(fails.size() == 3);
    CHECK(fails[0].detail == u8(TryFail::recv_empty));
    CHECK(fails[1].detail == u8(TryFail::recv_closed));
    CHECK(fails[2].detail == u8(TryFail::recv_closed));
}

TEST_CASE("oneshot: a recv that loses a select takes nothing", "[oneshot][select]") {
    SECTION("armed, then the timer wins") {
        Recorder rec;
        Runtime rt(config());
        rt.subscribe(rec);
        rt.block_on([]() -> Task<void> {
            auto [tx, rx] = oneshot::channel<int>();
            auto recv = rx.recv();
            auto timeout = sleep(kMs);
            const std::size_t winner = co_await select(recv, timeout);
            CHECK(winner == 1);
            CHECK(tx.send(9));
            auto r = rx.try_recv();
            CHECK(r.status == oneshot::TryRecvStatus::ok);
            CHECK(r.value == std::optional<int>(9));
        }());
        // The recv waited and was withdrawn as cancelled.
        bool cancelled = false;
        for (const Event& e : of_kind(rec, EventKind::wait_end))
            cancelled |= e.detail == u8(WaitOp::recv) && e.count == u8(WaitResult::cancelled);
        CHECK(cancelled);
        CHECK(rt.outcome() == RunOutcome::completed);
    }
    SECTION("both ready: the loser's value is still there") {
        std::set<std::size_t> winners;
        for (std::uint64_t seed = 1; seed <= 16; ++seed) {
            Runtime rt(config(seed));
            std::size_t winner = 99;
            rt.block_on([](std::size_t& winner) -> Task<void> {
                auto [tx0, rx0] = oneshot::channel<int>();
                auto [tx1, rx1] = oneshot::channel<int>();
                auto b0 = rx0.recv();
                auto b1 = rx1.recv();
                // Both senders fire in one poll of another task, while both branches wait.
                spawn("senders", [](oneshot::Sender<int> a, oneshot::Sender<int> b) -> Task<void> {
                    co_await sleep(kMs);
                    CHECK(a.send(100));
                    CHECK(b.send(101));
                }(std::move(tx0), std::move(tx1)));
                winner = co_await select(b0, b1);
                auto won = winner == 0 ? b0.result() : b1.result();
                CHECK(won == std::optional<int>(100 + static_cast<int>(winner)));
                auto& loser = winner == 0 ? rx1 : rx0;
                auto left = loser.try_recv();
                CHECK(left.status == oneshot::TryRecvStatus::ok);
                CHECK(left.value == std::optional<int>(100 + static_cast<int>(1 - winner)));
            }(winner));
            REQUIRE(winner < 2);
            winners.insert(winner);
        }
        CHECK(winners.size() == 2);  // each branch lost at least once
    }
}

TEST_CASE("oneshot: aborting a waiting receiver drops it, so send fails", "[oneshot]") {
    Runtime rt(config());
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = oneshot::channel<int>();
        auto h = spawn("rx", [](oneshot::Receiver<int> rx) -> Task<void> {
            co_await rx.recv();
        }(std::move(rx)));
        co_await sleep(kMs);
        CHECK_FALSE(tx.is_closed());
        h.abort();
        auto r = co_await h;
        CHECK(r.aborted());
        CHECK(tx.is_closed());
        CHECK_FALSE(tx.send(1));
    }());
    CHECK(rt.outcome() == RunOutcome::completed);
}
