// select: first ready wins, seeded tie-breaks, biased order, cancel without effect.
#include <catch2/catch.hpp>

#include <set>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/mpsc.h"
#include "spindle/sync/select.h"

using namespace spindle;

namespace {
constexpr Nanos ms(std::int64_t n) {
    return Nanos(n * 1'000'000);
}
RuntimeConfig cfg(std::uint64_t seed = 1) {
    return rt_test::config_with(2, seed, Policy::work_stealing, RuntimeConfig{}.poll_cost);
}
}  // namespace

TEST_CASE("the first operation to become ready wins", "[select]") {
    Runtime rt(cfg());
    auto r = rt.block_on([]() -> Task<int> {
        auto [tx, rx] = mpsc::channel<int>(1);
        spawn("late", [](mpsc::Sender<int> tx) -> Task<void> {
            co_await sleep(ms(5));
            co_await tx.send(42);
        }(std::move(tx)));
        auto recv = rx.recv();
        auto timeout = sleep(ms(10));
        const std::size_t i = co_await select(recv, timeout);
        co_return i == 0 ? *recv.result() : -1;
    }());
    CHECK(*r.value == 42);
    CHECK(rt.end_time() < ms(10));  // the losing timer was cancelled, not waited for
}

TEST_CASE("a recv that loses to a timeout consumes nothing", "[select]") {
    Runtime rt(cfg());
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(1);
        auto recv = rx.recv();
        auto timeout = sleep(ms(1));
        auto r1 = co_await select(recv, timeout);
        CHECK(r1 == 1);
        co_await tx.send(7);
        auto r2 = co_await rx.recv();  // still there for the next receive
        CHECK(*r2 == 7);
    }());
}

TEST_CASE("a send that loses enqueues nothing and gives back its slot", "[select]") {
    Runtime rt(cfg());
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(1);
        co_await tx.send(1);  // full
        auto send = tx.send(2);
        auto timeout = sleep(ms(1));
        auto r3 = co_await select(send, timeout);
        CHECK(r3 == 1);
        CHECK(rx.len() == 1);
        auto r4 = co_await rx.recv();
        CHECK(*r4 == 1);
        CHECK(rx.try_recv().status == mpsc::TryRecvStatus::empty);
        // The slot freed by the recv is not held by the cancelled send.
        CHECK(tx.try_send(3) == mpsc::TrySendStatus::ok);
    }());
}

TEST_CASE("a granted send slot passes on when its select loses", "[select]") {
    Runtime rt(cfg());
    std::vector<int> got;
    rt.block_on([](std::vector<int>& got) -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(1);
        co_await tx.send(0);
        auto [ntx, nrx] = mpsc::channel<int>(1);
        // racer: select(send 1, recv on nrx); both become ready in the same instant.
        auto racer =
            spawn("racer", [](mpsc::Sender<int> tx, mpsc::Receiver<int> nrx) -> Task<std::size_t> {
                auto send = tx.send(1);
                auto other = nrx.recv();
                co_return co_await select_biased(other, send);
            }(tx.clone(), std::move(nrx)));
        auto patient = spawn("patient", [](mpsc::Sender<int> tx) -> Task<void> {
            co_await sleep(Nanos(1000));
            co_await tx.send(2);
        }(tx.clone()));
        tx.drop();
        co_await sleep(ms(1));
        // One instant: the other branch becomes ready and a slot is granted to racer's send.
        co_await ntx.send(9);
        got.push_back(*co_await rx.recv());
        auto won = co_await racer;
        CHECK(*won.value == 0);  // biased: the recv branch wins
        co_await patient;
        while (auto v = co_await rx.recv())
            got.push_back(*v);
    }(got));
    CHECK(got == std::vector<int>{0, 2});  // racer's 1 was never enqueued
}

TEST_CASE("ties follow the seeded RNG, biased select takes the first", "[select]") {
    std::set<std::size_t> winners;
    for (std::uint64_t seed = 1; seed <= 16; ++seed) {
        Runtime rt(cfg(seed));
        auto r = rt.block_on([]() -> Task<std::size_t> {
            auto [tx1, rx1] = mpsc::channel<int>(1);
            auto [tx2, rx2] = mpsc::channel<int>(1);
            co_await tx1.send(1);
            co_await tx2.send(2);
            auto a = rx1.recv();
            auto b = rx2.recv();
            co_return co_await select(a, b);
        }());
        winners.insert(*r.value);
    }
    CHECK(winners == std::set<std::size_t>{0, 1});

    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        Runtime rt(cfg(seed));
        auto r = rt.block_on([]() -> Task<std::size_t> {
            auto [tx1, rx1] = mpsc::channel<int>(1);
            auto [tx2, rx2] = mpsc::channel<int>(1);
            co_await tx1.send(1);
            co_await tx2.send(2);
            auto a = rx1.recv();
            auto b = rx2.recv();
            co_return co_await select_biased(a, b);
        }());
        CHECK(*r.value == 0);
    }
}

TEST_CASE("select emits start, waits and a winner", "[select]") {
    Recorder rec;
    Runtime rt(cfg());
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(1);
        auto recv = rx.recv();
        auto t = sleep(ms(2));
        co_await select(recv, t);
    }());
    int starts = 0, winners = 0, wait_starts = 0, cancelled = 0;
    for (const Event& e : rec.events()) {
        starts += e.kind == EventKind::select_start;
        if (e.kind == EventKind::select_winner) {
            ++winners;
            CHECK(e.count == 1);
        }
        wait_starts += e.kind == EventKind::wait_start;
        cancelled += e.kind == EventKind::wait_end &&
                     e.count == static_cast<std::uint32_t>(WaitResult::cancelled);
    }
    CHECK(starts == 1);
    CHECK(winners == 1);
    CHECK(wait_starts == 2);
    CHECK(cancelled == 1);
}
