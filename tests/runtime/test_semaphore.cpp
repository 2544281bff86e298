// Semaphore: permit counting, FIFO with large requests, close, cancellation, events.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/semaphore.h"

using namespace spindle;

namespace {

RuntimeConfig config(int workers = 2, std::uint64_t seed = 1) {
    return rt_test::config_with(workers, seed);
}

/// After `delay`, acquires `n` permits, records `label`, holds them for `hold`.
Task<void> take(Semaphore s, std::uint32_t n, Nanos delay, Nanos hold, std::string label,
                std::vector<std::string>& order) {
    co_await sleep(delay);
    auto p = co_await s.acquire(n);
    if (!p) co_return;
    CHECK(p.permits() == n);
    order.push_back(label);
    co_await sleep(hold);
}

}  // namespace

TEST_CASE("semaphore: at most `permits` holders at a time", "[semaphore]") {
    for (std::uint64_t seed : {1u, 4u}) {
        int inside = 0;
        int max_inside = 0;
        std::uint32_t available_after = 0;
        Runtime rt(config(2, seed));
        rt.block_on([](int& inside, int& max_inside, std::uint32_t& available_after) -> Task<void> {
            Semaphore s = Semaphore::create(3, "pool");
            CHECK(s.available() == 3);
            std::vector<JoinHandle<void>> hs;
            for (int i = 0; i < 8; ++i)
                hs.push_back(
                    spawn("user", [](Semaphore s, int& inside, int& max_inside) -> Task<void> {
                        for (int round = 0; round < 3; ++round) {
                            auto p = co_await s.acquire();
                            max_inside = std::max(max_inside, ++inside);
                            co_await sleep(Nanos(1'000'000));
                            co_await work(Nanos(2000));
                            --inside;
                        }
                    }(s, inside, max_inside)));
            for (auto& h : hs)
                co_await h;
            available_after = s.available();
        }(inside, max_inside, available_after));
        CHECK(rt.outcome() == RunOutcome::completed);
        CHECK(max_inside == 3);
        CHECK(available_after == 3);
    }
}

TEST_CASE("semaphore: a large request at the head blocks smaller later ones", "[semaphore]") {
    std::vector<std::string> order;
    Runtime rt(config());
    rt.block_on([](std::vector<std::string>& order) -> Task<void> {
        Semaphore s(3, "fifo");
        auto mine = co_await s.acquire(1);
        auto extra = co_await s.acquire(1);
        CHECK(s.available() == 1);
        auto big = spawn("big", take(s, 3, Nanos(100'000), Nanos(1'000'000), "big", order));
        auto small = spawn("small", take(s, 1, Nanos(200'000), Nanos(1'000'000), "small", order));
        co_await sleep(Nanos(1'000'000));
        // One permit is free, but the big request is first in line.
        CHECK(s.available() == 1);
        CHECK(s.waiters() == 2);
        CHECK(order.empty());
        CHECK_FALSE(s.try_acquire(1).has_value());
        // Two free now: still not enough for the head, and the small one must not pass it.
        extra.release();
        co_await sleep(Nanos(1'000'000));
        CHECK(s.available() == 2);
        CHECK(s.waiters() == 2);
        CHECK(order.empty());
        mine.release();
        CHECK(s.available() == 0);  // all three went to the big request
        co_await big;
        co_await small;
        CHECK(s.available() == 3);
    }(order));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(order == std::vector<std::string>{"big", "small"});
}

TEST_CASE("semaphore: waiters are served in the order they queued", "[semaphore]") {
    std::vector<std::string> order;
    Runtime rt(config());
    rt.block_on([](std::vector<std::string>& order) -> Task<void> {
        Semaphore s(0, "gate");
        std::vector<JoinHandle<void>> hs;
        const std::vector<int> rank{3, 0, 4, 1, 2};
        for (int i = 0; i < 5; ++i)
            hs.push_back(spawn("w", take(s, 1, Nanos(100'000 * (rank[i] + 1)), Nanos(0),
                                         std::to_string(rank[i]), order)));
        co_await sleep(Nanos(1'000'000));
        for (int i = 0; i < 5; ++i) {
            s.add_permits(1);
            co_await sleep(Nanos(100'000));
        }
        for (auto& h : hs)
            co_await h;
    }(order));
    CHECK(order == std::vector<std::string>{"0", "1", "2", "3", "4"});
}

TEST_CASE("semaphore: try_acquire and add_permits count exactly", "[semaphore]") {
    Runtime rt(config());
    rt.block_on([]() -> Task<void> {
        Semaphore s(2);
        auto a = s.try_acquire(2);
        REQUIRE(a.has_value());
        CHECK(a->permits() == 2);
        CHECK(s.available() == 0);
        CHECK_FALSE(s.try_acquire().has_value());
        s.add_permits(3);
        CHECK(s.available() == 3);
        a->release();
        CHECK(s.available() == 5);
        auto b = s.try_acquire(5);
        REQUIRE(b.has_value());
        b->forget();  // the permits are gone for good
        CHECK(s.available() == 0);
        co_return;
    }());
    CHECK(rt.outcome() == RunOutcome::completed);
}

TEST_CASE("semaphore: close fails waiters and later acquires", "[semaphore]") {
    int failed = 0;
    Runtime rt(config());
    Recorder rec;
    rt.subscribe(rec);
    rt.block_on([](int& failed) -> Task<void> {
        Semaphore s(1, "closing");
        auto held = co_await s.acquire();
        std::vector<JoinHandle<void>> hs;
        for (int i = 0; i < 3; ++i)
            hs.push_back(spawn("w", [](Semaphore s, int& failed) -> Task<void> {
                auto p = co_await s.acquire();
                if (!p.valid()) ++failed;
            }(s, failed)));
        co_await sleep(Nanos(1'000'000));
        REQUIRE(s.waiters() == 3);
        s.close();
        CHECK(s.is_closed());
        for (auto& h : hs)
            co_await h;
        CHECK(held.valid());  // permits handed out earlier stay valid
        held.release();
        CHECK_FALSE(s.try_acquire().has_value());
        auto late = co_await s.acquire();
        CHECK_FALSE(late.valid());
        CHECK(late.permits() == 0);
    }(failed));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(failed == 3);
    // The close is on record once, with its reason and the permits left (none: one is held).
    int closes = 0;
    for (const Event& e : rec.events())
        if (e.kind == EventKind::chan_close) {
            ++closes;
            CHECK(e.detail == static_cast<std::uint8_t>(CloseReason::closed));
            CHECK(e.count == 0);
        }
    CHECK(closes == 1);
}

TEST_CASE("semaphore: aborting a holder or the head waiter frees the queue", "[semaphore]") {
    std::vector<std::string> order;
    Runtime rt(config());
    rt.block_on([](std::vector<std::string>& order) -> Task<void> {
        Semaphore s(2, "abort");
        auto holder = spawn("holder", take(s, 1, Nanos(0), Nanos(1'000'000'000), "holder", order));
        co_await sleep(Nanos(10'000));
        REQUIRE(s.available() == 1);
        auto big = spawn("big", take(s, 2, Nanos(100'000), Nanos(100'000), "big", order));
        auto small = spawn("small", take(s, 1, Nanos(200'000), Nanos(100'000), "small", order));
        co_await sleep(Nanos(1'000'000));
        REQUIRE(s.waiters() == 2);
        big.abort();  // the head leaves: the small request fits at once
        co_await big;
        co_await small;
        CHECK(s.available() == 1);
        holder.abort();  // its permit comes back
        co_await holder;
        CHECK(s.available() == 2);
    }(order));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(order == std::vector<std::string>{"holder", "small"});
    CHECK(rt.end_time() < Nanos(1'000'000'000));
}

TEST_CASE("semaphore: events count permits, reports name holders", "[semaphore]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    TaskId holder_id = 0;
    rt.block_on([](TaskId& holder_id) -> Task<void> {
        Semaphore s(3, "sem");
        auto h = spawn("greedy", [](Semaphore s) -> Task<void> {
            auto a = co_await s.acquire(2);
            auto b = co_await s.acquire(2);  // waits for itself: stuck
        }(s));
        holder_id = h.id();
        co_await h;
    }(holder_id));
    REQUIRE(rt.outcome() == RunOutcome::deadlock);
    std::vector<std::uint32_t> counts;
    for (const Event& e : rec.events())
        if (e.kind == EventKind::lock_acquire) {
            CHECK(e.detail == static_cast<std::uint8_t>(LockMode::permits));
            CHECK(e.task == holder_id);
            counts.push_back(e.count);
        }
    CHECK(counts == std::vector<std::uint32_t>{2});
    const DeadlockReport* rep = rt.deadlock();
    REQUIRE(rep);
    const WaitingTask* t = rep->find(holder_id);
    REQUIRE(t);
    REQUIRE(t->waits.size() == 1);
    CHECK(t->waits[0].op == WaitOp::acquire);
    CHECK(t->waits[0].kind == ResourceKind::semaphore);
    CHECK(t->waits[0].holders == std::vector<TaskId>{holder_id});
    CHECK(rep->cycle == std::vector<TaskId>{holder_id});
    CHECK(rep->to_text().find("'sem'") != std::string::npos);
}
