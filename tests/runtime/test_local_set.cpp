// LocalSet (tokio's, for !Send futures): tasks spawned on a set run only on the worker
// it is bound to, are never stolen even while other workers idle, and are not starved
// by (nor starve) the worker's other tasks.
// Note: never co_await inside a Catch2 assertion macro (see test_mpsc.cpp).
#include <catch2/catch.hpp>

#include <set>
#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/local_set.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/core/spawn.h"
#include "spindle/instrument/event_payloads.h"
#include "spindle/instrument/recorder.h"

using namespace spindle;
using rt_test::kMs;

namespace {
Task<int> rounds(int n) {
    for (int i = 0; i < n; ++i) {
        co_await work(Nanos(200'000));
        co_await sleep(Nanos(100'000));
    }
    co_return n;
}
}  // namespace

TEST_CASE("local set: its tasks run only on its worker, for every seed", "[local_set]") {
    for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
        Runtime rt(rt_test::config_with(4, seed));
        Recorder rec;
        rt.subscribe(rec);
        WorkerId bound = kNoWorker;
        auto res = rt.block_on([](WorkerId& bound) -> Task<int> {
            LocalSet ls("pinned");
            bound = ls.worker();
            std::vector<JoinHandle<int>> hs;
            for (int i = 0; i < 6; ++i)
                hs.push_back(ls.spawn_local("local", rounds(4)));
            int total = 0;
            for (auto& h : hs) {
                auto r = co_await h;
                total += *r.value;
            }
            co_return total;
        }(bound));
        REQUIRE(res.ok());
        CHECK(*res.value == 24);
        REQUIRE(bound < 4);
        std::set<TaskId> local;
        for (const Event& e : rt_test::of_kind(rec, EventKind::task_spawn))
            if (e.as<payload::TaskSpawn>().flavor == TaskFlavor::local) local.insert(e.task);
        CHECK(local.size() == 6);
        std::size_t polls = 0;
        for (const Event& e : rt_test::of_kind(rec, EventKind::poll_start))
            if (local.count(e.task)) {
                CHECK(e.worker == bound);
                ++polls;
            }
        CHECK(polls >= 6 * 5);
        for (const Event& e : rt_test::of_kind(rec, EventKind::task_scheduled))
            if (local.count(e.task)) {
                const auto q = e.as<payload::TaskScheduled>();
                CHECK(q.place == QueuePlace::local);
                CHECK(q.queue == bound);
            }
    }
}

TEST_CASE("local set: its tasks and the worker's others take turns", "[local_set]") {
    Runtime rt(rt_test::config_with(1, 1));
    auto res = rt.block_on([]() -> Task<bool> {
        LocalSet ls;
        // One yield loop of each kind on the only worker: both must progress.
        int local_rounds = 0, other_rounds = 0;
        auto a = ls.spawn_local("local", [](int& n) -> Task<void> {
            for (int i = 0; i < 50; ++i) {
                ++n;
                co_await yield_now();
            }
        }(local_rounds));
        auto b = spawn("other", [](int& n) -> Task<void> {
            for (int i = 0; i < 50; ++i) {
                ++n;
                co_await yield_now();
            }
        }(other_rounds));
        co_await sleep(Nanos(20'000));
        const bool both = local_rounds > 2 && other_rounds > 2;
        co_await a;
        co_await b;
        co_return both && local_rounds == 50 && other_rounds == 50;
    }());
    REQUIRE(res.ok());
    CHECK(*res.value);
}
