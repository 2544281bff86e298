// Rayon pools, from rayon's documented behaviour: join runs both closures and returns
// both results in order; a forked job waits on the forking thread's deque where idle
// threads steal it; a recursive divide-and-conquer sum equals the sequential sum for
// every pool size and seed; a job's ordinary waits block its thread; a job that started
// stays on its thread; a call from async code blocks the calling worker.
// Note: never co_await inside a Catch2 assertion macro (see test_mpsc.cpp).
#include <catch2/catch.hpp>

#include <map>
#include <numeric>
#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/blocking_scope.h"
#include "spindle/core/ops.h"
#include "spindle/core/rayon.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/core/spawn.h"
#include "spindle/instrument/event_payloads.h"
#include "spindle/instrument/recorder.h"

using namespace spindle;
using rt_test::kMs;

namespace {

Task<long> leaf_sum(int lo, int hi) {
    long s = 0;
    for (int i = lo; i < hi; ++i)
        s += i;
    co_await work(Nanos(1000) * (hi - lo));
    co_return s;
}

/// rayon's classic recursive sum: split in halves down to `grain` items.
Task<long> tree_sum(int lo, int hi, int grain) {
    if (hi - lo <= grain) co_return co_await leaf_sum(lo, hi);
    const int mid = lo + (hi - lo) / 2;
    auto [a, b] = co_await rayon::join(tree_sum(lo, mid, grain), tree_sum(mid, hi, grain));
    co_return a + b;
}

/// Runs `job` on a new pool of `threads` from an async main that blocks on it.
template <class T>
Task<T> install(std::uint32_t threads, Task<T> job) {
    const ResourceId pool = make_rayon_pool("pool", threads);
    JoinHandle<T> h = spawn_job(pool, "install", std::move(job));
    BlockingScope blocking;
    JoinResult<T> r = co_await h.join();
    co_return std::move(*r.value);
}

struct Recorded {
    Recorder rec;
    std::vector<Event> of(EventKind k) const { return rt_test::of_kind(rec, k); }
};

}  // namespace

TEST_CASE("rayon: join runs both closures and returns their results in order", "[rayon]") {
    Runtime rt(rt_test::config_with(2, 1));
    auto r = rt.block_on(
        install<std::pair<int, std::string>>(2, []() -> Task<std::pair<int, std::string>> {
            co_return co_await rayon::join(
                []() -> Task<int> {
                    co_await work(Nanos(5000));
                    co_return 1;
                }(),
                []() -> Task<std::string> {
                    co_await work(Nanos(5000));
                    co_return "two";
                }());
        }()));
    REQUIRE(r.ok());
    CHECK(r.value->first == 1);
    CHECK(r.value->second == "two");
}

TEST_CASE("rayon: a recursive sum equals the sequential sum for every pool size and seed",
          "[rayon]") {
    const int n = 2000;
    const long expected = static_cast<long>(n) * (n - 1) / 2;
    for (std::uint32_t threads : {1u, 2u, 4u}) {
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            Runtime rt(rt_test::config_with(2, seed));
            Recorded r;
            rt.subscribe(r.rec);
            auto res = rt.block_on(install<long>(threads, tree_sum(0, n, 100)));
            REQUIRE(res.ok());
            CHECK(*res.value == expected);
            std::size_t steals = 0;
            for (const Event& e : r.of(EventKind::worker_steal))
                steals += e.as<payload::WorkerSteal>().taken;
            if (threads == 1)
                CHECK(steals == 0);
            else
                CHECK(steals > 0);  // idle threads took forked halves
        }
    }
}

TEST_CASE("rayon: forked jobs go on the forking thread's deque, outside jobs on the injector",
          "[rayon]") {
    Runtime rt(rt_test::config_with(2, 1));
    Recorded r;
    rt.subscribe(r.rec);
    auto res = rt.block_on(install<long>(3, tree_sum(0, 400, 100)));
    REQUIRE(res.ok());
    std::vector<WorkerId> rayon_lanes;
    ResourceId pool = 0;
    for (const Event& e : r.of(EventKind::worker_start)) {
        const auto ws = e.as<payload::WorkerStart>();
        if (ws.role == WorkerRole::rayon) {
            rayon_lanes.push_back(e.worker);
            pool = ws.pool;
        }
    }
    REQUIRE(rayon_lanes.size() == 3);
    REQUIRE(pool != 0);
    int injected = 0, forked = 0;
    for (const Event& e : r.of(EventKind::task_scheduled)) {
        const auto q = e.as<payload::TaskScheduled>();
        if (q.place == QueuePlace::injector) {
            ++injected;
            CHECK(q.pool == pool);
        }
        if (q.place == QueuePlace::local) ++forked;
    }
    CHECK(injected == 1);  // the install job, sent in from the async main
    CHECK(forked >= 3);    // every join forks its second half onto a pool thread's deque
}

TEST_CASE("rayon: a job that started stays on its thread", "[rayon]") {
    Runtime rt(rt_test::config_with(2, 7));
    Recorded r;
    rt.subscribe(r.rec);
    auto res = rt.block_on(install<long>(4, tree_sum(0, 3000, 50)));
    REQUIRE(res.ok());
    std::map<TaskId, WorkerId> first;
    int polls = 0;
    for (const Event& e : r.of(EventKind::poll_start)) {
        if (e.task == 1) continue;  // the async main
        auto [it, fresh] = first.emplace(e.task, e.worker);
        if (!fresh) CHECK(it->second == e.worker);
        ++polls;
    }
    CHECK(polls > static_cast<int>(first.size()));  // jobs were polled again after a join
}

TEST_CASE("rayon: a job's waits block its thread, except waiting for a forked job", "[rayon]") {
    Runtime rt(rt_test::config_with(2, 1));
    Recorded r;
    rt.subscribe(r.rec);
    auto res = rt.block_on(install<int>(2, []() -> Task<int> {
        co_await sleep(kMs);  // a thread::sleep inside a job
        auto [a, b] = co_await rayon::join([]() -> Task<int> { co_return 1; }(),
                                           []() -> Task<int> {
                                               co_await sleep(kMs);
                                               co_return 2;
                                           }());
        co_return a + b;
    }()));
    REQUIRE(res.ok());
    CHECK(*res.value == 3);
    int blocking_sleeps = 0, releasing_joins = 0, blocking_main = 0;
    for (const Event& e : r.of(EventKind::wait_start)) {
        const auto w = e.as<payload::WaitStart>();
        if (e.task == 1) {
            blocking_main += w.holds_worker;  // the async main, blocked on the install
        } else if (w.op == WaitOp::sleep) {
            blocking_sleeps += w.holds_worker;
        } else if (w.op == WaitOp::join) {
            releasing_joins += !w.holds_worker;
        }
    }
    CHECK(blocking_sleeps == 2);
    CHECK(blocking_main == 1);
    CHECK(releasing_joins <= 1);  // the forked half may end before the join waits
    CHECK(r.of(EventKind::wait_start).size() >= 3);
}

TEST_CASE("rayon: a failure in either half is raised after both ended", "[rayon]") {
    Runtime rt(rt_test::config_with(2, 1));
    bool b_ran = false;
    auto res = rt.block_on([](bool& b_ran) -> Task<int> {
        const ResourceId pool = make_rayon_pool("pool", 2);
        JoinHandle<int> h = spawn_job(pool, "install", [](bool& b_ran) -> Task<int> {
            auto [a, b] = co_await rayon::join(
                []() -> Task<int> {
                    throw std::runtime_error("left failed");
                    co_return 0;
                }(),
                [](bool& b_ran) -> Task<int> {
                    co_await work(Nanos(10'000));
                    b_ran = true;
                    co_return 2;
                }(b_ran));
            co_return a + b;
        }(b_ran));
        BlockingScope blocking;
        JoinResult<int> r = co_await h.join();
        co_return r.failed() && r.error.find("left failed") != std::string::npos ? 1 : 0;
    }(b_ran));
    REQUIRE(res.ok());
    CHECK(*res.value == 1);
    CHECK(b_ran);
}

TEST_CASE("rayon: pools are bounded in number and size", "[rayon]") {
    Runtime rt(rt_test::config_with(3, 1));
    Recorded r;
    rt.subscribe(r.rec);
    auto res = rt.block_on([]() -> Task<int> {
        int made = 0;
        if (make_rayon_pool("default") != 0) ++made;
        for (int i = 0; i < kMaxRayonPools + 3; ++i)
            if (make_rayon_pool("p", 100000) != 0) ++made;
        co_return made;
    }());
    REQUIRE(res.ok());
    CHECK(*res.value == kMaxRayonPools);
    int lanes = 0;
    for (const Event& e : r.of(EventKind::worker_start))
        lanes += e.as<payload::WorkerStart>().role == WorkerRole::rayon;
    CHECK(lanes == 3 + (kMaxRayonPools - 1) * static_cast<int>(kMaxRayonThreads));
}
