// RwLock: shared readers, exclusive writers, FIFO fairness, cancellation, events.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/mpsc.h"
#include "spindle/sync/rwlock.h"
#include "spindle/sync/select.h"

using namespace spindle;

namespace {

RuntimeConfig config(int workers = 2, std::uint64_t seed = 1) {
    return rt_test::config_with(workers, seed);
}

struct Occupancy {
    int readers = 0;
    int writers = 0;
    int max_readers = 0;
    int violations = 0;  ///< a writer alongside anyone else
    int value = 0;
};

Task<void> reader(RwLock l, Occupancy& o, int rounds) {
    for (int i = 0; i < rounds; ++i) {
        auto g = co_await l.read();
        ++o.readers;
        o.max_readers = std::max(o.max_readers, o.readers);
        if (o.writers) ++o.violations;
        co_await sleep(Nanos(2000 + 1000 * (i % 3)));
        if (o.writers) ++o.violations;
        --o.readers;
    }
}

Task<void> writer(RwLock l, Occupancy& o, int rounds) {
    for (int i = 0; i < rounds; ++i) {
        auto g = co_await l.write();
        ++o.writers;
        if (o.writers > 1 || o.readers) ++o.violations;
        const int seen = o.value;
        co_await work(Nanos(2000));
        co_await yield_now();
        o.value = seen + 1;
        if (o.writers > 1 || o.readers) ++o.violations;
        --o.writers;
    }
}

/// After `delay`, takes a read (or write) hold, records `label`, holds it for `hold`.
Task<void> take(RwLock l, bool write, Nanos delay, Nanos hold, std::string label,
                std::vector<std::string>& order) {
    co_await sleep(delay);
    if (write) {
        auto g = co_await l.write();
        order.push_back(label);
        co_await sleep(hold);
    } else {
        auto g = co_await l.read();
        order.push_back(label);
        co_await sleep(hold);
    }
}

}  // namespace

TEST_CASE("rwlock: readers share the lock", "[rwlock]") {
    Occupancy o;
    Runtime rt(config());
    rt.block_on([](Occupancy& o) -> Task<void> {
        RwLock l("shared");
        std::vector<JoinHandle<void>> hs;
        for (int i = 0; i < 3; ++i)
            hs.push_back(spawn("r", [](RwLock l, Occupancy& o) -> Task<void> {
                auto g = co_await l.read();
                o.max_readers = std::max(o.max_readers, ++o.readers);
                co_await sleep(Nanos(10'000'000));
                --o.readers;
            }(l, o)));
        for (auto& h : hs)
            co_await h;
        CHECK(l.readers() == 0);
    }(o));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(o.max_readers == 3);
    CHECK(rt.end_time() < Nanos(20'000'000));  // the three holds overlapped
}

TEST_CASE("rwlock: a writer excludes readers and other writers", "[rwlock]") {
    for (std::uint64_t seed : {1u, 5u, 9u}) {
        Occupancy o;
        Runtime rt(config(2, seed));
        rt.block_on([](Occupancy& o) -> Task<void> {
            RwLock l;
            std::vector<JoinHandle<void>> hs;
            for (int i = 0; i < 4; ++i)
                hs.push_back(spawn("reader", reader(l, o, 4)));
            for (int i = 0; i < 3; ++i)
                hs.push_back(spawn("writer", writer(l, o, 4)));
            for (auto& h : hs)
                co_await h;
            CHECK_FALSE(l.is_write_locked());
            CHECK(l.readers() == 0);
        }(o));
        CHECK(rt.outcome() == RunOutcome::completed);
        CHECK(o.violations == 0);
        CHECK(o.value == 12);
        CHECK(o.max_readers >= 2);
    }
}

TEST_CASE("rwlock: a queued writer is not starved by later readers", "[rwlock]") {
    std::vector<std::string> order;
    Runtime rt(config());
    rt.block_on([](std::vector<std::string>& order) -> Task<void> {
        RwLock l("fair");
        auto r1 = spawn("r1", take(l, false, Nanos(0), Nanos(10'000'000), "r1", order));
        auto w = spawn("w", take(l, true, Nanos(1'000'000), Nanos(1'000'000), "w", order));
        auto r2 = spawn("r2", take(l, false, Nanos(2'000'000), Nanos(1'000'000), "r2", order));
        co_await sleep(Nanos(3'000'000));
        // r1 reads; w waits for it; r2 must queue behind w although only readers hold.
        CHECK(l.readers() == 1);
        CHECK(l.waiters() == 2);
        CHECK_FALSE(l.try_read().has_value());
        CHECK_FALSE(l.try_write().has_value());
        co_await r1;
        co_await w;
        co_await r2;
    }(order));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(order == std::vector<std::string>{"r1", "w", "r2"});
}

TEST_CASE("rwlock: consecutive readers at the head are granted together", "[rwlock]") {
    std::vector<std::string> order;
    std::vector<std::uint32_t> readers_at_grant;
    Runtime rt(config());
    rt.block_on([](std::vector<std::string>& order,
                   std::vector<std::uint32_t>& readers_at_grant) -> Task<void> {
        RwLock l("batch");
        auto g = co_await l.write();
        std::vector<JoinHandle<void>> hs;
        hs.push_back(spawn("ra", take(l, false, Nanos(100'000), Nanos(1'000'000), "ra", order)));
        hs.push_back(spawn("rb", take(l, false, Nanos(200'000), Nanos(1'000'000), "rb", order)));
        hs.push_back(spawn("w2", take(l, true, Nanos(300'000), Nanos(1'000'000), "w2", order)));
        hs.push_back(spawn("rc", take(l, false, Nanos(400'000), Nanos(1'000'000), "rc", order)));
        co_await sleep(Nanos(1'000'000));
        REQUIRE(l.waiters() == 4);
        g.unlock();
        readers_at_grant.push_back(l.readers());  // ra and rb at once; w2 and rc still queued
        readers_at_grant.push_back(l.waiters());
        for (auto& h : hs)
            co_await h;
    }(order, readers_at_grant));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(readers_at_grant == std::vector<std::uint32_t>{2, 2});
    REQUIRE(order.size() == 4);
    CHECK(std::is_permutation(order.begin(), order.begin() + 2,
                              std::vector<std::string>{"ra", "rb"}.begin()));
    CHECK(order[2] == "w2");
    CHECK(order[3] == "rc");
}

TEST_CASE("rwlock: an aborted queued writer lets the readers behind it in", "[rwlock]") {
    std::vector<std::string> order;
    Runtime rt(config());
    rt.block_on([](std::vector<std::string>& order) -> Task<void> {
        RwLock l("abort");
        auto g = co_await l.read();
        auto w = spawn("w", take(l, true, Nanos(100'000), Nanos(100'000), "w", order));
        auto r = spawn("r", take(l, false, Nanos(200'000), Nanos(100'000), "r", order));
        co_await sleep(Nanos(1'000'000));
        REQUIRE(l.waiters() == 2);
        w.abort();
        co_await w;
        // The writer left the head: the reader is granted while we still read.
        CHECK(l.readers() == 2);
        co_await r;
        CHECK(l.readers() == 1);
    }(order));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(order == std::vector<std::string>{"r"});
}

TEST_CASE("rwlock: a write branch that loses a select has no effect", "[rwlock]") {
    std::vector<std::string> order;
    bool free_after = false;
    Runtime rt(config());
    rt.block_on([](std::vector<std::string>& order, bool& free_after) -> Task<void> {
        RwLock l("raced");
        auto [tx, rx] = mpsc::unbounded<int>();
        auto g = co_await l.read();
        auto racer = spawn(
            "racer",
            [](RwLock l, mpsc::Receiver<int> rx, std::vector<std::string>& order) -> Task<void> {
                auto recv = rx.recv();
                auto write = l.write();
                if (co_await select_biased(recv, write) == 1) order.push_back("racer");
            }(l, std::move(rx), order));
        auto r = spawn("r", take(l, false, Nanos(100'000), Nanos(100'000), "r", order));
        co_await sleep(Nanos(1'000'000));
        REQUIRE(l.waiters() == 2);
        tx.try_send(1);
        g.unlock();
        CHECK(l.writer() == racer.id());  // granted, but the recv branch will win
        co_await racer;
        co_await r;
        free_after = l.readers() == 0 && !l.is_write_locked() && l.try_write().has_value();
    }(order, free_after));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(order == std::vector<std::string>{"r"});
    CHECK(free_after);
}

TEST_CASE("rwlock: downgrade keeps the hold and admits queued readers", "[rwlock]") {
    std::vector<std::string> order;
    Runtime rt(config());
    rt.block_on([](std::vector<std::string>& order) -> Task<void> {
        RwLock l;
        auto w = co_await l.write();
        auto r = spawn("r", take(l, false, Nanos(100'000), Nanos(100'000), "r", order));
        co_await sleep(Nanos(1'000'000));
        ReadGuard rg = w.downgrade();
        CHECK_FALSE(w.owns_lock());
        CHECK(rg.owns_lock());
        CHECK(l.readers() == 2);
        co_await r;
    }(order));
    CHECK(order == std::vector<std::string>{"r"});
}

TEST_CASE("rwlock: events carry mode and owner, reports name the holders", "[rwlock]") {
    Recorder rec;
    Runtime rt(config());
    rt.subscribe(rec);
    TaskId main_id = 0;
    TaskId w_id = 0;
    rt.block_on([](TaskId& main_id, TaskId& w_id) -> Task<void> {
        RwLock l("report");
        auto g = co_await l.read();
        main_id = current_executor().current_task();
        auto w = spawn("w", [](RwLock l) -> Task<void> { auto g = co_await l.write(); }(l));
        w_id = w.id();
        co_await w;  // w waits for our read hold, we wait for w: deadlock
    }(main_id, w_id));
    REQUIRE(rt.outcome() == RunOutcome::deadlock);
    int shared = 0;
    for (const Event& e : rec.events())
        if (e.kind == EventKind::lock_acquire) {
            CHECK(e.detail == static_cast<std::uint8_t>(LockMode::shared));
            CHECK(e.task == main_id);
            ++shared;
        }
    CHECK(shared == 1);
    const DeadlockReport* rep = rt.deadlock();
    REQUIRE(rep);
    const WaitingTask* w = rep->find(w_id);
    REQUIRE(w);
    REQUIRE(w->waits.size() == 1);
    CHECK(w->waits[0].op == WaitOp::write);
    CHECK(w->waits[0].kind == ResourceKind::rwlock);
    CHECK(w->waits[0].holders == std::vector<TaskId>{main_id});
    CHECK(rep->cycle.size() == 2);
}
