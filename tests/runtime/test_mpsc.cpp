// mpsc: bounded backpressure, FIFO senders, close semantics, per-sender order.
// Note: never co_await inside a Catch2 assertion macro: GCC evaluates the
// short-circuited copy of the expression Catch keeps for warnings, awaiting twice.
#include <catch2/catch.hpp>

#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/mpsc.h"

using namespace spindle;

namespace {
RuntimeConfig cfg(int workers = 2, std::uint64_t seed = 1) {
    return rt_test::config_with(workers, seed, Policy::work_stealing, RuntimeConfig{}.poll_cost);
}
constexpr Nanos ms(std::int64_t n) {
    return Nanos(n * 1'000'000);
}
}  // namespace

TEST_CASE("recv returns closed only after every sender dropped and the buffer drained", "[mpsc]") {
    Runtime rt(cfg());
    std::vector<int> got;
    bool closed_seen = false;
    rt.block_on([](std::vector<int>& got, bool& closed) -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(4, "jobs");
        auto tx2 = tx.clone();
        co_await tx.send(1);
        co_await tx2.send(2);
        tx.drop();
        CHECK_FALSE(rx.is_closed());  // tx2 still alive
        co_await tx2.send(3);
        tx2.drop();
        while (auto v = co_await rx.recv())
            got.push_back(*v);
        closed = true;
    }(got, closed_seen));
    CHECK(got == std::vector<int>{1, 2, 3});
    CHECK(closed_seen);
}

TEST_CASE("bounded send waits while full, waiting senders are served FIFO", "[mpsc]") {
    Runtime rt(cfg(4));
    std::vector<int> order;
    rt.block_on([](std::vector<int>& order) -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(1, "narrow");
        co_await tx.send(0);  // fills the buffer
        std::vector<JoinHandle<void>> hs;
        for (int i = 1; i <= 4; ++i) {
            hs.push_back(spawn("sender", [](mpsc::Sender<int> tx, int i) -> Task<void> {
                co_await sleep(Nanos(i * 1000));  // queue up in order 1..4
                auto r1 = co_await tx.send(i);
                CHECK(r1 == mpsc::SendStatus::ok);
            }(tx.clone(), i)));
        }
        tx.drop();
        co_await sleep(ms(1));
        while (auto v = co_await rx.recv())
            order.push_back(*v);
        for (auto& h : hs)
            co_await h;
    }(order));
    CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("a new sender does not overtake queued ones", "[mpsc]") {
    Runtime rt(cfg(1));
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(1);
        co_await tx.send(0);
        auto waiting = spawn(
            "waiting", [](mpsc::Sender<int> tx) -> Task<void> { co_await tx.send(1); }(tx.clone()));
        co_await sleep(ms(1));         // "waiting" is queued on the full channel
        auto r2 = co_await rx.recv();  // frees a slot: granted to "waiting"
        CHECK(*r2 == 0);
        CHECK(tx.try_send(2) == mpsc::TrySendStatus::full);
        co_await waiting;
        auto r3 = co_await rx.recv();
        CHECK(*r3 == 1);
    }());
    CHECK(rt.outcome() == RunOutcome::completed);
}

TEST_CASE("send fails once the receiver is closed or dropped", "[mpsc]") {
    Runtime rt(cfg());
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(2);
        co_await tx.send(1);
        rx.close();
        CHECK(tx.is_closed());
        auto r4 = co_await tx.send(2);
        CHECK(r4 == mpsc::SendStatus::closed);
        CHECK(tx.try_send(3) == mpsc::TrySendStatus::closed);
        auto r5 = co_await rx.recv();  // buffered messages survive close()
        CHECK(*r5 == 1);
        auto r6 = co_await rx.recv();
        CHECK_FALSE(r6.has_value());

        auto [tx2, rx2] = mpsc::channel<int>(1);
        co_await tx2.send(1);
        auto blocked = spawn("blocked", [](mpsc::Sender<int> tx) -> Task<mpsc::SendStatus> {
            co_return co_await tx.send(2);
        }(tx2.clone()));
        co_await sleep(ms(1));
        rx2.drop();
        auto r = co_await blocked;
        CHECK(*r.value == mpsc::SendStatus::closed);
    }());
}

TEST_CASE("try_send and try_recv report full, empty and closed", "[mpsc]") {
    Recorder rec;
    Runtime rt(cfg());
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(1);
        CHECK(rx.try_recv().status == mpsc::TryRecvStatus::empty);
        CHECK(tx.try_send(1) == mpsc::TrySendStatus::ok);
        CHECK(tx.try_send(2) == mpsc::TrySendStatus::full);
        auto r = rx.try_recv();
        CHECK(r.status == mpsc::TryRecvStatus::ok);
        CHECK(*r.value == 1);
        tx.drop();
        CHECK(rx.try_recv().status == mpsc::TryRecvStatus::closed);
        co_return;
    }());
    int fails = 0;
    for (const Event& e : rec.events())
        fails += e.kind == EventKind::chan_try_fail;
    CHECK(fails == 3);
}

TEST_CASE("messages of one sender arrive in the order sent", "[mpsc]") {
    Runtime rt(cfg(4, 7));
    std::vector<std::pair<int, int>> got;
    rt.block_on([](std::vector<std::pair<int, int>>& got) -> Task<void> {
        auto [tx, rx] = mpsc::channel<std::pair<int, int>>(3);
        for (int p = 0; p < 3; ++p)
            spawn("producer", [](mpsc::Sender<std::pair<int, int>> tx, int p) -> Task<void> {
                for (int i = 0; i < 20; ++i) {
                    co_await tx.send({p, i});
                    if (i % 3 == p) co_await yield_now();
                }
            }(tx.clone(), p));
        tx.drop();
        while (auto v = co_await rx.recv())
            got.push_back(*v);
    }(got));
    REQUIRE(got.size() == 60);
    int last[3] = {-1, -1, -1};
    for (auto [p, i] : got) {
        CHECK(i == last[p] + 1);
        last[p] = i;
    }
}

TEST_CASE("send and recv events carry message ids and buffer lengths", "[mpsc]") {
    Recorder rec;
    Runtime rt(cfg());
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::unbounded<int>("bus");
        co_await tx.send(10);
        co_await tx.send(11);
        co_await rx.recv();
        co_await rx.recv();
    }());
    std::vector<std::pair<std::uint64_t, std::uint32_t>> sends, recvs;
    for (const Event& e : rec.events()) {
        if (e.kind == EventKind::chan_send) sends.emplace_back(e.arg, e.count);
        if (e.kind == EventKind::chan_recv) recvs.emplace_back(e.arg, e.count);
        if (e.kind == EventKind::resource_created) {
            CHECK(rec.text(e.text) == "bus");
            CHECK(e.count == kUnbounded);
        }
    }
    REQUIRE(sends.size() == 2);
    REQUIRE(recvs.size() == 2);
    CHECK(sends[0].second == 1);
    CHECK(sends[1].second == 2);
    CHECK(recvs[0] == std::make_pair(sends[0].first, 1u));
    CHECK(recvs[1] == std::make_pair(sends[1].first, 0u));
    CHECK(sends[0].first != sends[1].first);
}

TEST_CASE("a receiver with a sender still alive deadlocks and the report counts it",
          "[mpsc][deadlock]") {
    Runtime rt(cfg());
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(1, "forgotten");
        co_await tx.send(1);
        co_await rx.recv();
        co_await rx.recv();  // tx is still alive in this frame: waits forever
    }());
    REQUIRE(rt.outcome() == RunOutcome::deadlock);
    const DeadlockReport* r = rt.deadlock();
    REQUIRE(r);
    REQUIRE(r->tasks.size() == 1);
    REQUIRE(r->tasks[0].waits.size() == 1);
    CHECK(r->tasks[0].waits[0].live_senders == 1);
    CHECK(r->tasks[0].waits[0].name == "forgotten");
    CHECK(r->to_text().find("1 sender still alive") != std::string::npos);
}
