// watch: initial value, changed() waiting and coalescing, sender drop, send without
// receivers, subscribe / clone and select cancellation.
#include <catch2/catch.hpp>

#include <optional>
#include <set>
#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/select.h"
#include "spindle/sync/watch.h"

using namespace spindle;

namespace {

using rt_test::kMs;
using rt_test::of_kind;
using rt_test::u8;

RuntimeConfig config(std::uint64_t seed = 1) {
    return rt_test::config_with(2, seed);
}

/// Records every value changed() reports until it yields false.
Task<void> follow(watch::Receiver<int> rx, std::vector<int>& seen, std::vector<Nanos>& at) {
    for (;;) {
        const bool changed = co_await rx.changed();
        if (!changed) break;
        seen.push_back(rx.borrow());
        at.push_back(now());
    }
}

}  // namespace

TEST_CASE("watch: borrow sees the initial value, changed waits for a newer version", "[watch]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    std::vector<int> seen;
    std::vector<Nanos> at;
    rt.block_on([](std::vector<int>& seen, std::vector<Nanos>& at) -> Task<void> {
        auto [tx, rx] = watch::channel<int>(10, "config");
        CHECK(rx.borrow() == 10);
        CHECK(tx.borrow() == 10);
        CHECK(rx.has_changed() == std::optional<bool>(false));  // the initial value counts as seen
        auto h = spawn("follower", follow(std::move(rx), seen, at));
        co_await sleep(2 * kMs);
        CHECK(seen.empty());  // still waiting
        CHECK(tx.send(11));
        CHECK(tx.borrow() == 11);
        co_await sleep(kMs);
        tx.drop();
        co_await h;
    }(seen, at));
    CHECK(seen == std::vector<int>{11});
    REQUIRE(at.size() == 1);
    CHECK(at[0] >= 2 * kMs);

    auto created = of_kind(rec, EventKind::resource_created);
    REQUIRE(created.size() == 1);
    CHECK(created[0].detail == u8(ResourceKind::watch));
    CHECK(created[0].count == 1);
    bool waited_changed = false;
    for (const Event& e : of_kind(rec, EventKind::wait_start))
        waited_changed |= e.detail == u8(WaitOp::changed) && e.object == created[0].object;
    CHECK(waited_changed);
}

TEST_CASE("watch: intermediate values coalesce, only the latest is seen", "[watch]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    std::vector<int> seen;
    std::vector<Nanos> at;
    rt.block_on([](std::vector<int>& seen, std::vector<Nanos>& at) -> Task<void> {
        auto [tx, rx] = watch::channel<int>(0);
        auto h = spawn("follower", follow(std::move(rx), seen, at));
        co_await sleep(kMs);
        CHECK(tx.send(1));  // three sends in one poll: one change
        CHECK(tx.send(2));
        CHECK(tx.send(3));
        co_await sleep(kMs);
        CHECK(tx.send(4));
        co_await sleep(kMs);
        tx.drop();
        co_await h;
    }(seen, at));
    CHECK(seen == std::vector<int>{3, 4});

    auto sends = of_kind(rec, EventKind::chan_send);
    auto recvs = of_kind(rec, EventKind::chan_recv);
    REQUIRE(sends.size() == 4);
    REQUIRE(recvs.size() == 2);
    CHECK(recvs[0].arg == sends[2].arg);  // observed the third value's message
    CHECK(recvs[1].arg == sends[3].arg);
    for (const Event& e : sends)
        CHECK(e.count == 1);
}

TEST_CASE("watch: changed returns false once the sender is dropped and all is seen", "[watch]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    bool woken_with = true;
    rt.block_on([](bool& woken_with) -> Task<void> {
        auto [tx, rx] = watch::channel<int>(0);
        auto rx_waiting = rx.clone();
        auto h = spawn("waiter", [](watch::Receiver<int> rx, bool& out) -> Task<void> {
            // Sees 5 first (sent before the drop), then false.
            const bool first = co_await rx.changed();
            CHECK(first);
            CHECK(rx.borrow() == 5);
            out = co_await rx.changed();
        }(std::move(rx_waiting), woken_with));
        co_await sleep(kMs);
        CHECK(tx.send(5));
        tx.drop();
        // The value sent last is still unseen by rx: changed reports it first.
        CHECK_FALSE(rx.has_changed().has_value());  // closed, like tokio's Err
        const bool c1 = co_await rx.changed();
        CHECK(c1);
        CHECK(rx.borrow() == 5);
        const bool c2 = co_await rx.changed();
        CHECK_FALSE(c2);
        co_await h;
    }(woken_with));
    CHECK_FALSE(woken_with);
    CHECK(rt.outcome() == RunOutcome::completed);
    auto closes = of_kind(rec, EventKind::chan_close);
    REQUIRE(closes.size() == 1);
    CHECK(closes[0].detail == u8(CloseReason::senders_dropped));
}

TEST_CASE("watch: a waiting changed() is woken with false when the sender drops", "[watch]") {
    Runtime rt(config());
    std::vector<int> seen;
    std::vector<Nanos> at;
    Nanos ended{};
    rt.block_on([](std::vector<int>& seen, std::vector<Nanos>& at, Nanos& ended) -> Task<void> {
        auto [tx, rx] = watch::channel<int>(1);
        auto h = spawn("follower", follow(std::move(rx), seen, at));
        co_await sleep(3 * kMs);
        tx.drop();
        co_await h;
        ended = now();
    }(seen, at, ended));
    CHECK(seen.empty());
    CHECK(ended >= 3 * kMs);
    CHECK(rt.outcome() == RunOutcome::completed);
}

TEST_CASE("watch: send needs a receiver, send_replace stores anyway, subscribe and clone",
          "[watch]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = watch::channel<int>(0);
        rx.drop();
        CHECK(tx.is_closed());
        CHECK(tx.receiver_count() == 0);
        CHECK_FALSE(tx.send(1));
        CHECK(tx.borrow() == 0);  // not stored
        CHECK(tx.send_replace(2) == 0);
        CHECK(tx.borrow() == 2);

        auto rx2 = tx.subscribe();  // the current value counts as seen
        CHECK(tx.receiver_count() == 1);
        CHECK_FALSE(tx.is_closed());
        CHECK(rx2.borrow() == 2);
        CHECK(rx2.has_changed() == std::optional<bool>(false));
        CHECK(tx.send(3));
        CHECK(rx2.has_changed() == std::optional<bool>(true));
        CHECK(rx2.borrow() == 3);  // borrow does not mark seen
        CHECK(rx2.has_changed() == std::optional<bool>(true));

        auto rx3 = rx2.clone();  // inherits rx2's seen version: 3 is unseen for it too
        CHECK(tx.receiver_count() == 2);
        CHECK(rx2.borrow_and_update() == 3);
        CHECK(rx2.has_changed() == std::optional<bool>(false));
        CHECK(rx3.has_changed() == std::optional<bool>(true));
        const bool changed = co_await rx3.changed();  // ready at once
        CHECK(changed);
        CHECK(rx3.has_changed() == std::optional<bool>(false));
    }());
    std::size_t send_closed = 0;
    for (const Event& e : of_kind(rec, EventKind::chan_try_fail))
        send_closed += e.detail == u8(TryFail::send_closed);
    CHECK(send_closed == 1);
    CHECK(of_kind(rec, EventKind::chan_send).size() == 2);  // send_replace(2) and send(3)
    // Marking seen is a receive: borrow_and_update and changed, not borrow.
    CHECK(of_kind(rec, EventKind::chan_recv).size() == 2);
}

TEST_CASE("watch: a changed() that loses a select marks nothing seen", "[watch][select]") {
    SECTION("armed, then the timer wins") {
        Runtime rt(config());
        rt.block_on([]() -> Task<void> {
            auto [tx, rx] = watch::channel<int>(0);
            {
                auto changed = rx.changed();
                auto timeout = sleep(kMs);
                const std::size_t winner = co_await select(changed, timeout);
                CHECK(winner == 1);
            }
            CHECK(tx.send(1));
            CHECK(rx.has_changed() == std::optional<bool>(true));
        }());
        CHECK(rt.outcome() == RunOutcome::completed);
    }
    SECTION("both ready: the loser's version stays unseen") {
        std::set<std::size_t> winners;
        for (std::uint64_t seed = 1; seed <= 16; ++seed) {
            Runtime rt(config(seed));
            std::size_t winner = 99;
            rt.block_on([](std::size_t& winner) -> Task<void> {
                auto [tx0, rx0] = watch::channel<int>(0);
                auto [tx1, rx1] = watch::channel<int>(0);
                auto b0 = rx0.changed();
                auto b1 = rx1.changed();
                spawn("senders", [](watch::Sender<int> a, watch::Sender<int> b) -> Task<void> {
                    co_await sleep(kMs);
                    CHECK(a.send(1));
                    CHECK(b.send(2));
                }(std::move(tx0), std::move(tx1)));
                winner = co_await select(b0, b1);
                CHECK((winner == 0 ? b0.result() : b1.result()));
                auto& won = winner == 0 ? rx0 : rx1;
                auto& lost = winner == 0 ? rx1 : rx0;
                CHECK_FALSE(won.has_changed().has_value());  // its sender ended: closed
                // The loser's sender is gone too, but its last value is still unseen.
                const bool changed = co_await lost.changed();
                CHECK(changed);
                CHECK(lost.borrow() == (winner == 0 ? 2 : 1));
            }(winner));
            REQUIRE(winner < 2);
            winners.insert(winner);
        }
        CHECK(winners.size() == 2);
    }
}
