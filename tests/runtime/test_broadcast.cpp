// broadcast: fan-out to every receiver, lag, close after drain, late subscribers,
// buffer accounting and select cancellation.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/broadcast.h"
#include "spindle/sync/select.h"

using namespace spindle;

namespace {

using rt_test::kMs;
using rt_test::of_kind;
using rt_test::u8;

RuntimeConfig config(std::uint64_t seed = 1, Policy policy = Policy::work_stealing) {
    return rt_test::config_with(2, seed, policy);
}

/// What one receiver got until the channel closed.
struct Log {
    std::vector<int> values;
    std::uint64_t lagged = 0;
    int lag_reports = 0;
    bool closed = false;
    TaskId task = 0;
};

/// Receives until closed, pausing `pause` after each message.
Task<void> collect(broadcast::Receiver<int> rx, Log& log, Nanos pause) {
    log.task = current_executor().current_task();
    for (;;) {
        auto r = co_await rx.recv();
        if (r.status == broadcast::RecvStatus::closed) break;
        if (r.status == broadcast::RecvStatus::lagged) {
            CHECK(r.lagged > 0);
            CHECK_FALSE(r.value.has_value());
            log.lagged += r.lagged;
            ++log.lag_reports;
            continue;
        }
        REQUIRE(r.value.has_value());
        log.values.push_back(*r.value);
        if (pause > Nanos::zero()) co_await sleep(pause);
    }
    log.closed = true;
}

}  // namespace

TEST_CASE("broadcast: every receiver sees every message sent after it subscribed", "[broadcast]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    Log a, b, late;
    rt.block_on([](Log& a, Log& b, Log& late) -> Task<void> {
        auto [tx, rx] = broadcast::channel<int>(8, "news");
        auto rx2 = tx.subscribe();
        CHECK(tx.receiver_count() == 2);
        auto ha = spawn("a", collect(std::move(rx), a, Nanos::zero()));
        auto hb = spawn("b", collect(std::move(rx2), b, Nanos::zero()));
        for (int i = 0; i < 3; ++i) {
            CHECK(tx.send(i) == 2);
            co_await sleep(kMs);
        }
        auto hl = spawn("late", collect(tx.subscribe(), late, Nanos::zero()));
        CHECK(tx.receiver_count() == 3);
        CHECK(tx.send(3) == 3);
        CHECK(tx.send(4) == 3);
        tx.drop();
        co_await ha;
        co_await hb;
        co_await hl;
    }(a, b, late));
    CHECK(a.values == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(b.values == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(late.values == std::vector<int>{3, 4});
    CHECK((a.closed && b.closed && late.closed));
    CHECK(a.lagged + b.lagged + late.lagged == 0);

    auto created = of_kind(rec, EventKind::resource_created);
    REQUIRE(created.size() == 1);
    CHECK(created[0].detail == u8(ResourceKind::broadcast));
    CHECK(created[0].count == 8);
    // Each message id is received once per receiver subscribed when it was sent.
    std::map<std::uint64_t, int> receipts;
    for (const Event& e : of_kind(rec, EventKind::chan_recv))
        ++receipts[e.arg];
    auto sends = of_kind(rec, EventKind::chan_send);
    REQUIRE(sends.size() == 5);
    for (std::size_t i = 0; i < sends.size(); ++i)
        CHECK(receipts[sends[i].arg] == (i < 3 ? 2 : 3));
    // chan_recv is stamped with the receiving task.
    std::set<TaskId> receivers;
    for (const Event& e : of_kind(rec, EventKind::chan_recv))
        receivers.insert(e.task);
    CHECK(receivers == std::set<TaskId>{a.task, b.task, late.task});
}

TEST_CASE("broadcast: a slow receiver lags, then resumes at the oldest retained message",
          "[broadcast]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    Log fast;
    std::vector<broadcast::RecvResult<int>> slow;
    TaskId slow_task = 0;
    rt.block_on([](Log& fast, std::vector<broadcast::RecvResult<int>>& slow,
                   TaskId& slow_task) -> Task<void> {
        slow_task = current_executor().current_task();
        auto [tx, rx_slow] = broadcast::channel<int>(2);
        auto hf = spawn("fast", collect(tx.subscribe(), fast, Nanos::zero()));
        for (int i = 0; i < 5; ++i) {
            CHECK(tx.send(i) == 2);
            co_await sleep(kMs);  // the fast receiver keeps up
        }
        CHECK(rx_slow.len() == 5);
        tx.drop();
        for (;;) {
            auto r = co_await rx_slow.recv();
            const bool closed = r.status == broadcast::RecvStatus::closed;
            slow.push_back(std::move(r));
            if (closed) break;
        }
        co_await hf;
    }(fast, slow, slow_task));

    CHECK(fast.values == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(fast.lagged == 0);
    REQUIRE(slow.size() == 4);
    CHECK(slow[0].status == broadcast::RecvStatus::lagged);
    CHECK(slow[0].lagged == 3);
    CHECK(slow[1].status == broadcast::RecvStatus::ok);
    CHECK(slow[1].value == std::optional<int>(3));
    CHECK(slow[2].status == broadcast::RecvStatus::ok);
    CHECK(slow[2].value == std::optional<int>(4));
    CHECK(slow[3].status == broadcast::RecvStatus::closed);
    std::uint64_t received = 0, lagged = 0;
    for (const auto& r : slow) {
        received += r.status == broadcast::RecvStatus::ok;
        lagged += r.lagged;
    }
    CHECK(received + lagged == 5);

    auto lags = of_kind(rec, EventKind::chan_lag);
    REQUIRE(lags.size() == 1);
    CHECK(lags[0].arg == 3);
    CHECK(lags[0].task == slow_task);
    // Buffer length after each send: the ring fills to capacity and stays there.
    std::vector<std::uint32_t> lens;
    for (const Event& e : of_kind(rec, EventKind::chan_send))
        lens.push_back(e.count);
    CHECK(lens == std::vector<std::uint32_t>{1, 2, 2, 2, 2});
}

TEST_CASE("broadcast: closed only after every sender is dropped and the receiver drained",
          "[broadcast]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = broadcast::channel<int>(4);
        auto tx2 = tx.clone();
        CHECK(tx.send(1) == 1);
        CHECK(tx2.send(2) == 1);
        tx.drop();
        CHECK_FALSE(rx.is_closed());  // tx2 is still alive
        tx2.drop();
        CHECK(rx.is_closed());
        auto r = co_await rx.recv();  // closed, but 1 and 2 are still retained for rx
        CHECK(r.status == broadcast::RecvStatus::ok);
        CHECK(r.value == std::optional<int>(1));
        auto t = rx.try_recv();
        CHECK(t.status == broadcast::TryRecvStatus::ok);
        CHECK(t.value == std::optional<int>(2));
        r = co_await rx.recv();
        CHECK(r.status == broadcast::RecvStatus::closed);
        CHECK_FALSE(r.value.has_value());
        CHECK(rx.try_recv().status == broadcast::TryRecvStatus::closed);
    }());
    CHECK(rt.outcome() == RunOutcome::completed);

    auto closes = of_kind(rec, EventKind::chan_close);
    REQUIRE(closes.size() == 1);
    CHECK(closes[0].detail == u8(CloseReason::senders_dropped));
    CHECK(closes[0].count == 2);  // both messages still retained for rx
    std::vector<std::uint32_t> sender_drops;
    for (const Event& e : of_kind(rec, EventKind::chan_drop))
        if (e.detail == u8(EndpointRole::sender)) sender_drops.push_back(e.count);
    CHECK(sender_drops == std::vector<std::uint32_t>{1, 0});
}

TEST_CASE("broadcast: a waiting receiver is woken with closed when the last sender drops",
          "[broadcast]") {
    Runtime rt(config());
    Log log;
    rt.block_on([](Log& log) -> Task<void> {
        auto [tx, rx] = broadcast::channel<int>(4);
        auto h = spawn("rx", collect(std::move(rx), log, Nanos::zero()));
        co_await sleep(kMs);
        CHECK_FALSE(h.is_finished());
        tx.drop();
        co_await h;
    }(log));
    CHECK(log.closed);
    CHECK(log.values.empty());
    CHECK(rt.outcome() == RunOutcome::completed);
}

TEST_CASE("broadcast: send with no receiver stores nothing, subscribe sees only later messages",
          "[broadcast]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = broadcast::channel<int>(4);
        rx.drop();
        CHECK(tx.receiver_count() == 0);
        CHECK(tx.send(1) == 0);
        CHECK(tx.len() == 0);
        auto rx2 = tx.subscribe();
        CHECK(rx2.try_recv().status == broadcast::TryRecvStatus::empty);
        CHECK(tx.send(2) == 1);
        auto rx3 = rx2.resubscribe();  // starts after 2
        CHECK(tx.send(3) == 2);
        auto t = rx2.try_recv();
        CHECK(t.value == std::optional<int>(2));
        t = rx2.try_recv();
        CHECK(t.value == std::optional<int>(3));
        t = rx3.try_recv();
        CHECK(t.status == broadcast::TryRecvStatus::ok);
        CHECK(t.value == std::optional<int>(3));
        CHECK(rx3.try_recv().status == broadcast::TryRecvStatus::empty);
        co_return;
    }());
    std::vector<std::uint8_t> fails;
    for (const Event& e : of_kind(rec, EventKind::chan_try_fail))
        fails.push_back(e.detail);
    CHECK(fails == std::vector<std::uint8_t>{u8(TryFail::send_closed), u8(TryFail::recv_empty),
                                             u8(TryFail::recv_empty)});
    CHECK(of_kind(rec, EventKind::chan_send).size() == 2);  // the failed send is not a send
}

TEST_CASE("broadcast: the buffer length counts messages the slowest receiver has not seen",
          "[broadcast]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx1] = broadcast::channel<int>(4);
        auto rx2 = tx.subscribe();
        tx.send(10);
        tx.send(11);
        CHECK(tx.len() == 2);
        CHECK(rx1.try_recv().value == std::optional<int>(10));  // rx2 still needs 10
        CHECK(tx.len() == 2);
        CHECK(rx2.try_recv().value == std::optional<int>(10));  // 10 seen by all: released
        CHECK(tx.len() == 1);
        CHECK(rx1.try_recv().value == std::optional<int>(11));
        CHECK(tx.len() == 1);
        CHECK(rx2.len() == 1);
        rx2.drop();  // 11 is not needed any more
        CHECK(tx.len() == 0);
        CHECK(tx.receiver_count() == 1);
        co_return;
    }());
    std::vector<std::uint32_t> sends, recvs;
    for (const Event& e : of_kind(rec, EventKind::chan_send))
        sends.push_back(e.count);
    for (const Event& e : of_kind(rec, EventKind::chan_recv))
        recvs.push_back(e.count);
    CHECK(sends == std::vector<std::uint32_t>{1, 2});
    CHECK(recvs == std::vector<std::uint32_t>{2, 1, 1});
    auto drops = of_kind(rec, EventKind::chan_drop);
    REQUIRE(drops.size() >= 1);
    CHECK(drops[0].detail == u8(EndpointRole::receiver));
    CHECK(drops[0].count == 1);
}

TEST_CASE("broadcast: received + lagged == sent for receivers of every speed", "[broadcast]") {
    const Policy policies[] = {Policy::work_stealing, Policy::global_queue, Policy::current_thread};
    for (Policy policy : policies) {
        for (std::uint64_t seed = 1; seed <= 4; ++seed) {
            CAPTURE(seed, static_cast<int>(policy));
            Recorder rec;
            Runtime rt(config(seed, policy));
            rt.subscribe(rec);
            std::vector<Log> logs(4);
            constexpr int kSends = 30, kLateAt = 10;
            rt.block_on([](std::vector<Log>& logs) -> Task<void> {
                auto [tx, rx] = broadcast::channel<int>(3, "fanout");
                const Nanos pauses[] = {Nanos::zero(), Nanos(1'500'000), Nanos(3'000'000),
                                        Nanos(7'000'000)};
                std::vector<JoinHandle<void>> hs;
                hs.push_back(spawn("r0", collect(std::move(rx), logs[0], pauses[0])));
                hs.push_back(spawn("r1", collect(tx.subscribe(), logs[1], pauses[1])));
                hs.push_back(spawn("r2", collect(tx.subscribe(), logs[2], pauses[2])));
                for (int i = 0; i < kSends; ++i) {
                    if (i == kLateAt)
                        hs.push_back(spawn("late", collect(tx.subscribe(), logs[3], pauses[3])));
                    tx.send(i);
                    co_await sleep(kMs);
                }
                tx.drop();
                for (auto& h : hs)
                    co_await h;
            }(logs));
            REQUIRE(rt.outcome() == RunOutcome::completed);

            std::map<TaskId, std::uint64_t> lag_events;
            for (const Event& e : of_kind(rec, EventKind::chan_lag))
                lag_events[e.task] += e.arg;
            for (std::size_t k = 0; k < logs.size(); ++k) {
                const Log& l = logs[k];
                CAPTURE(k);
                const int first = k == 3 ? kLateAt : 0;
                CHECK(l.closed);
                CHECK(l.values.size() + l.lagged == static_cast<std::size_t>(kSends - first));
                REQUIRE_FALSE(l.values.empty());
                CHECK(l.values.front() >= first);
                CHECK(l.values.back() == kSends - 1);  // drained to the end before closed
                for (std::size_t i = 1; i < l.values.size(); ++i)
                    CHECK(l.values[i] > l.values[i - 1]);
                CHECK(lag_events[l.task] == l.lagged);
            }
            CHECK(logs[0].lagged == 0);  // keeps up
            CHECK(logs[3].lagged > 0);   // far too slow for a ring of 3
        }
    }
}

TEST_CASE("broadcast: a recv that loses a select consumes nothing and reports no lag",
          "[broadcast][select]") {
    SECTION("armed, then the timer wins") {
        Runtime rt(config());
        rt.block_on([]() -> Task<void> {
            auto [tx, rx] = broadcast::channel<int>(2);
            {
                auto recv = rx.recv();
                auto timeout = sleep(kMs);
                const std::size_t winner = co_await select(recv, timeout);
                CHECK(winner == 1);
            }
            tx.send(5);
            auto t = rx.try_recv();
            CHECK(t.status == broadcast::TryRecvStatus::ok);
            CHECK(t.value == std::optional<int>(5));
        }());
        CHECK(rt.outcome() == RunOutcome::completed);
    }
    SECTION("both ready: the loser keeps its lag and its messages") {
        std::set<std::size_t> winners;
        for (std::uint64_t seed = 1; seed <= 16; ++seed) {
            Recorder rec;
            Runtime rt(config(seed));
            rt.subscribe(rec);
            std::size_t winner = 99;
            rt.block_on([](std::size_t& winner) -> Task<void> {
                auto [tx0, rx0] = broadcast::channel<int>(1);
                auto [tx1, rx1] = broadcast::channel<int>(1);
                auto b0 = rx0.recv();
                auto b1 = rx1.recv();
                // Two sends into rings of one: each receiver is lagged(1), then has one value.
                spawn("senders",
                      [](broadcast::Sender<int> a, broadcast::Sender<int> b) -> Task<void> {
                          co_await sleep(kMs);
                          a.send(1);
                          a.send(2);
                          b.send(11);
                          b.send(12);
                      }(std::move(tx0), std::move(tx1)));
                winner = co_await select(b0, b1);
                auto won = winner == 0 ? b0.result() : b1.result();
                CHECK(won.status == broadcast::RecvStatus::lagged);
                CHECK(won.lagged == 1);
                auto& loser = winner == 0 ? rx1 : rx0;
                auto t = loser.try_recv();
                CHECK(t.status == broadcast::TryRecvStatus::lagged);
                CHECK(t.lagged == 1);
                t = loser.try_recv();
                CHECK(t.status == broadcast::TryRecvStatus::ok);
                CHECK(t.value == std::optional<int>(winner == 0 ? 12 : 2));
            }(winner));
            REQUIRE(winner < 2);
            winners.insert(winner);
            CHECK(of_kind(rec, EventKind::chan_lag).size() == 2);  // one per channel, no more
        }
        CHECK(winners.size() == 2);
    }
}
