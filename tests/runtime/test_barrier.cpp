// Barrier: release on the n-th arrival, one leader per generation, reuse, cancellation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/sync/barrier.h"
#include "spindle/sync/select.h"

using namespace spindle;

namespace {

RuntimeConfig config(int workers = 2, std::uint64_t seed = 1) {
    return rt_test::config_with(workers, seed);
}

constexpr int kParties = 3;
constexpr int kRounds = 4;

struct Arrival {
    int index = 0;
    bool leader = false;
    Nanos released{0};
};

Task<void> arrive(Barrier b, int index, Nanos delay, std::vector<Arrival>& out) {
    co_await sleep(delay);
    const bool leader = co_await b.wait();
    out.push_back(Arrival{index, leader, now()});
}

}  // namespace

TEST_CASE("barrier: everyone waits for the last arrival, which leads", "[barrier]") {
    std::vector<Arrival> out;
    Runtime rt(config());
    rt.block_on([](std::vector<Arrival>& out) -> Task<void> {
        Barrier b = Barrier::create(4, "start");
        std::vector<JoinHandle<void>> hs;
        const std::vector<int> delay_ms{3, 1, 4, 2};
        for (int i = 0; i < 4; ++i)
            hs.push_back(spawn("p", arrive(b, i, Nanos(1'000'000LL * delay_ms[i]), out)));
        co_await sleep(Nanos(3'500'000));
        CHECK(b.arrived() == 3);
        CHECK(out.empty());
        for (auto& h : hs)
            co_await h;
        CHECK(b.generation() == 1);
        CHECK(b.arrived() == 0);
    }(out));
    CHECK(rt.outcome() == RunOutcome::completed);
    REQUIRE(out.size() == 4);
    int leaders = 0;
    for (const Arrival& a : out) {
        leaders += a.leader;
        CHECK(a.released >= Nanos(4'000'000));  // nobody passes before the last arrival
        if (a.leader) CHECK(a.index == 2);      // the one arriving at 4 ms
    }
    CHECK(leaders == 1);
}

TEST_CASE("barrier: reusable, exactly one leader per generation", "[barrier]") {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        std::vector<int> leaders(kRounds, 0);
        std::vector<int> passed(kRounds, 0);
        int out_of_step = 0;
        Runtime rt(config(2, seed));
        rt.block_on([](std::vector<int>& leaders, std::vector<int>& passed,
                       int& out_of_step) -> Task<void> {
            Barrier b(kParties, "rounds");
            std::vector<JoinHandle<void>> hs;
            for (int p = 0; p < kParties; ++p)
                hs.push_back(spawn("p",
                                   [](Barrier b, int p, std::vector<int>& leaders,
                                      std::vector<int>& passed, int& out_of_step) -> Task<void> {
                                       for (int r = 0; r < kRounds; ++r) {
                                           co_await work(Nanos(1000 * (p + 1) * (r + 1)));
                                           if (co_await b.wait()) ++leaders[r];
                                           // Round r may only be passed once everyone passed round
                                           // r-1... and nobody may pass round r before all arrived
                                           // in it.
                                           if (r > 0 && passed[r - 1] != kParties) ++out_of_step;
                                           ++passed[r];
                                       }
                                   }(b, p, leaders, passed, out_of_step)));
            for (auto& h : hs)
                co_await h;
            CHECK(b.generation() == kRounds);
        }(leaders, passed, out_of_step));
        CHECK(rt.outcome() == RunOutcome::completed);
        CHECK(leaders == std::vector<int>(kRounds, 1));
        CHECK(passed == std::vector<int>(kRounds, kParties));
        CHECK(out_of_step == 0);
    }
}

TEST_CASE("barrier: a barrier of one (or zero) releases at once as leader", "[barrier]") {
    Runtime rt(config());
    rt.block_on([]() -> Task<void> {
        Barrier one(1);
        Barrier zero(0);
        CHECK(zero.parties() == 1);
        const Nanos before = now();
        // (co_await stays outside CHECK: the macro may expand its argument twice.)
        const bool l1 = co_await one.wait();
        const bool l2 = co_await zero.wait();
        const bool l3 = co_await one.wait();
        CHECK(l1);
        CHECK(l2);
        CHECK(l3);
        CHECK(now() == before);
        CHECK(one.generation() == 2);
    }());
    CHECK(rt.outcome() == RunOutcome::completed);
}

TEST_CASE("barrier: a cancelled wait withdraws its arrival", "[barrier]") {
    std::vector<Arrival> out;
    Runtime rt(config());
    rt.block_on([](std::vector<Arrival>& out) -> Task<void> {
        Barrier b(2, "pair");
        // A select branch that loses to a timer leaves the barrier as it was.
        auto wait = b.wait();
        auto timer = sleep(Nanos(1000));
        const std::size_t won = co_await select(wait, timer);
        CHECK(won == 1);
        CHECK(b.arrived() == 0);
        // So does an aborted waiter.
        auto quitter = spawn("quitter", arrive(b, 0, Nanos(0), out));
        co_await sleep(Nanos(100'000));
        REQUIRE(b.arrived() == 1);
        quitter.abort();
        co_await quitter;
        CHECK(b.arrived() == 0);
        auto x = spawn("x", arrive(b, 1, Nanos(0), out));
        co_await sleep(Nanos(1'000'000));
        CHECK(out.empty());  // one live party is not enough
        auto y = spawn("y", arrive(b, 2, Nanos(0), out));
        co_await x;
        co_await y;
    }(out));
    CHECK(rt.outcome() == RunOutcome::completed);
    REQUIRE(out.size() == 2);
    CHECK(std::count_if(out.begin(), out.end(), [](const Arrival& a) { return a.leader; }) == 1);
    for (const Arrival& a : out)
        CHECK((a.index == 1 || a.index == 2));
}

TEST_CASE("barrier: a missing party is a deadlock without holders", "[barrier]") {
    Runtime rt(config());
    rt.block_on([]() -> Task<void> {
        Barrier b(3, "short");
        auto a = spawn("a", [](Barrier b) -> Task<void> { co_await b.wait(); }(b));
        co_await b.wait();
        co_await a;
    }());
    REQUIRE(rt.outcome() == RunOutcome::deadlock);
    const DeadlockReport* rep = rt.deadlock();
    REQUIRE(rep);
    bool saw = false;
    for (const WaitingTask& t : rep->tasks)
        for (const WaitInfo& w : t.waits)
            if (w.op == WaitOp::barrier) {
                saw = true;
                CHECK(w.kind == ResourceKind::barrier);
                CHECK(w.name == "short");
                CHECK(w.holders.empty());
            }
    CHECK(saw);
    CHECK(rep->cycle.empty());
}
