// Tasks: spawn, join, abort, failures, sleep, work, yield and the blocking pool.
#include <catch2/catch.hpp>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/instrument/recorder.h"

using namespace spindle;

namespace {

RuntimeConfig config(int workers = 2, Policy policy = Policy::work_stealing) {
    return rt_test::config_with(workers, 1, policy);
}

std::size_t count(const Recorder& r, EventKind k) {
    std::size_t n = 0;
    for (const Event& e : r.events())
        n += e.kind == k;
    return n;
}

Task<int> add(int a, int b) {
    co_await yield_now();
    co_return a + b;
}

}  // namespace

TEST_CASE("block_on returns the main task's value") {
    Runtime rt(config());
    auto r = rt.block_on(add(2, 3));
    REQUIRE(r.ok());
    CHECK(*r.value == 5);
    CHECK(rt.outcome() == RunOutcome::completed);
}

TEST_CASE("a joined task yields its result, nested tasks run inline") {
    Runtime rt(config());
    auto r = rt.block_on([]() -> Task<int> {
        auto h = spawn("adder", add(20, 1));
        auto res = co_await h;
        co_return *res.value + co_await add(1, 0);
    }());
    REQUIRE(r.ok());
    CHECK(*r.value == 22);
}

TEST_CASE("a failing task is recorded and the run goes on") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    auto r = rt.block_on([]() -> Task<int> {
        auto bad = spawn("bad", []() -> Task<int> {
            co_await yield_now();
            throw std::runtime_error("boom");
        }());
        auto res = co_await bad;
        CHECK(res.failed());
        CHECK(res.error == "boom");
        co_return 7;
    }());
    REQUIRE(r.ok());
    CHECK(*r.value == 7);
    CHECK(rt.outcome() == RunOutcome::failed);
    bool saw = false;
    for (const Event& e : rec.events())
        if (e.kind == EventKind::task_end &&
            e.detail == static_cast<std::uint8_t>(TaskOutcome::failed))
            saw = rec.text(e.text) == "boom";
    CHECK(saw);
}

TEST_CASE("the run ends when every task has ended, not when main returns") {
    Runtime rt(config());
    bool child_done = false;
    rt.block_on([](bool& done) -> Task<void> {
        spawn("late", [](bool& d) -> Task<void> {
            co_await sleep(Nanos(50'000'000));
            d = true;
        }(done));
        co_return;
    }(child_done));
    CHECK(child_done);
    CHECK(rt.end_time() >= Nanos(50'000'000));
}

TEST_CASE("sleep wakes at the exact virtual time") {
    Runtime rt(config());
    auto r = rt.block_on([]() -> Task<std::int64_t> {
        const Nanos start = now();
        co_await sleep(Nanos(5'000'000));
        co_return (now() - start).count();
    }());
    REQUIRE(r.ok());
    // Woken at the deadline, then one poll cost before the body resumes.
    CHECK(*r.value == 5'000'000 + 1000);
}

TEST_CASE("work occupies the worker: two tasks on one worker serialise") {
    Runtime rt(config(1));
    rt.block_on([]() -> Task<void> {
        auto a = spawn("a", []() -> Task<void> { co_await work(Nanos(10'000'000)); }());
        auto b = spawn("b", []() -> Task<void> { co_await work(Nanos(10'000'000)); }());
        co_await a;
        co_await b;
    }());
    CHECK(rt.end_time() >= Nanos(20'000'000));

    Runtime rt2(config(2));
    rt2.block_on([]() -> Task<void> {
        auto a = spawn("a", []() -> Task<void> { co_await work(Nanos(10'000'000)); }());
        auto b = spawn("b", []() -> Task<void> { co_await work(Nanos(10'000'000)); }());
        co_await a;
        co_await b;
    }());
    CHECK(rt2.end_time() < Nanos(20'000'000));
}

TEST_CASE("abort cancels a waiting task and its joiner sees aborted") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        auto h = spawn("sleeper", []() -> Task<void> { co_await sleep(Nanos(1'000'000'000)); }());
        co_await sleep(Nanos(1'000'000));
        CHECK_FALSE(h.is_finished());
        h.abort();
        auto r = co_await h;
        CHECK(r.aborted());
    }());
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(rt.end_time() < Nanos(1'000'000'000));
    CHECK(count(rec, EventKind::timer_cancelled) == 1);
}

TEST_CASE("spawn_blocking runs on its own lanes up to the limit") {
    Recorder rec;
    RuntimeConfig c = config(1);
    c.max_blocking_threads = 2;
    Runtime rt(c);
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        std::vector<JoinHandle<void>> hs;
        for (int i = 0; i < 4; ++i)
            hs.push_back(spawn_blocking(
                "blocking", []() -> Task<void> { co_await work(Nanos(10'000'000)); }()));
        for (auto& h : hs)
            co_await h;
    }());
    std::size_t blocking_lanes = 0;
    for (const Event& e : rec.events())
        if (e.kind == EventKind::worker_start &&
            e.detail == static_cast<std::uint8_t>(WorkerRole::blocking))
            ++blocking_lanes;
    CHECK(blocking_lanes == 2);
    // Four 10 ms jobs on two lanes take two rounds.
    CHECK(rt.end_time() >= Nanos(20'000'000));
    CHECK(rt.end_time() < Nanos(30'000'000));
}

TEST_CASE("spawn_blocking takes a plain function too", "[tasks]") {
    Recorder rec;
    Runtime rt(config(1));
    rt.subscribe(rec);
    auto r = rt.block_on([]() -> Task<int> {
        auto h = spawn_blocking("compute", [] { return 6 * 7; });
        auto res = co_await h;
        co_return *res.value;
    }());
    REQUIRE(r.ok());
    CHECK(*r.value == 42);
    bool on_blocking_lane = false;
    for (const Event& e : rec.events())
        if (e.kind == EventKind::task_scheduled &&
            e.detail == static_cast<std::uint8_t>(QueuePlace::blocking) && e.object != kNoWorker)
            on_blocking_lane = true;
    CHECK(on_blocking_lane);
}
