// Mutex: exclusion, FIFO hand-off, no barging, cancellation, events, deadlock reports.
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
#include "spindle/sync/mutex.h"
#include "spindle/sync/select.h"

using namespace spindle;

namespace {

RuntimeConfig config(int workers = 2, std::uint64_t seed = 1) {
    return rt_test::config_with(workers, seed);
}

struct Shared {
    int counter = 0;
    int inside = 0;
    int max_inside = 0;
};

Task<void> increment(Mutex m, Shared& s, int rounds) {
    for (int i = 0; i < rounds; ++i) {
        auto g = co_await m.lock();
        REQUIRE(g.owns_lock());
        s.max_inside = std::max(s.max_inside, ++s.inside);
        const int seen = s.counter;
        co_await yield_now();
        co_await work(Nanos(3000));
        co_await sleep(Nanos(1000 * (i % 3)));
        s.counter = seen + 1;
        --s.inside;
    }
}

/// Queues on the mutex after `delay`, records `index` once it holds it.
Task<void> queue_and_record(Mutex m, Nanos delay, int index, std::vector<int>& order) {
    co_await sleep(delay);
    auto g = co_await m.lock();
    order.push_back(index);
    co_await yield_now();
}

}  // namespace

TEST_CASE("mutex: a counter updated across yield points stays exact", "[mutex]") {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        Shared s;
        Runtime rt(config(2, seed));
        rt.block_on([](Shared& s) -> Task<void> {
            Mutex m = Mutex::create("counter");
            std::vector<JoinHandle<void>> hs;
            for (int t = 0; t < 8; ++t)
                hs.push_back(spawn("inc", increment(m, s, 5)));
            for (auto& h : hs)
                co_await h;
            CHECK_FALSE(m.is_locked());
            CHECK(m.owner() == 0);
        }(s));
        CHECK(rt.outcome() == RunOutcome::completed);
        CHECK(s.counter == 40);
        CHECK(s.max_inside == 1);
    }
}

TEST_CASE("mutex: waiters acquire in the order they queued", "[mutex]") {
    for (bool reversed : {false, true}) {
        std::vector<int> order;
        std::vector<int> queued;
        Runtime rt(config());
        rt.block_on(
            [](bool reversed, std::vector<int>& order, std::vector<int>& queued) -> Task<void> {
                Mutex m("fifo");
                auto g = co_await m.lock();
                std::vector<JoinHandle<void>> hs;
                for (int i = 0; i < 5; ++i) {
                    const int rank = reversed ? 4 - i : i;  // position in the queue
                    hs.push_back(
                        spawn("w", queue_and_record(m, Nanos(100'000 * (rank + 1)), i, order)));
                }
                for (int r = 0; r < 5; ++r)
                    queued.push_back(reversed ? 4 - r : r);
                co_await sleep(Nanos(10'000'000));
                CHECK(m.waiters() == 5);
                CHECK(order.empty());
                g.unlock();
                for (auto& h : hs)
                    co_await h;
            }(reversed, order, queued));
        CHECK(rt.outcome() == RunOutcome::completed);
        CHECK(order == queued);
    }
}

TEST_CASE("mutex: lock events name the owner, in hand-off order", "[mutex]") {
    Recorder rec;
    std::vector<TaskId> ids;
    Runtime rt(config());
    rt.subscribe(rec);
    rt.block_on([](std::vector<TaskId>& ids) -> Task<void> {
        Mutex m("evented");
        auto g = co_await m.lock();
        ids.push_back(m.owner());
        std::vector<int> ignored;
        auto a = spawn("a", queue_and_record(m, Nanos(100'000), 0, ignored));
        auto b = spawn("b", queue_and_record(m, Nanos(200'000), 1, ignored));
        co_await sleep(Nanos(1'000'000));
        ids.push_back(a.id());
        ids.push_back(b.id());
        g.unlock();
        co_await a;
        co_await b;
    }(ids));
    std::vector<TaskId> acquired;
    std::vector<TaskId> released;
    for (const Event& e : rec.events()) {
        if (e.kind != EventKind::lock_acquire && e.kind != EventKind::lock_release) continue;
        CHECK(e.detail == static_cast<std::uint8_t>(LockMode::exclusive));
        CHECK(e.count == 1);
        (e.kind == EventKind::lock_acquire ? acquired : released).push_back(e.task);
    }
    CHECK(acquired == ids);
    CHECK(released == ids);
    std::size_t lock_waits = 0;
    for (const Event& e : rec.events())
        if (e.kind == EventKind::wait_end && e.detail == static_cast<std::uint8_t>(WaitOp::lock))
            ++lock_waits;
    CHECK(lock_waits == 2);
}

TEST_CASE("mutex: no barging — a released lock goes to the queued waiter", "[mutex]") {
    std::vector<std::string> order;
    Runtime rt(config());
    rt.block_on([](std::vector<std::string>& order) -> Task<void> {
        Mutex m;
        auto g = co_await m.lock();
        auto w = spawn("waiter", [](Mutex m, std::vector<std::string>& order) -> Task<void> {
            auto g = co_await m.lock();
            order.push_back("waiter");
            co_await sleep(Nanos(1'000'000));
        }(m, order));
        co_await sleep(Nanos(1'000'000));
        REQUIRE(m.waiters() == 1);
        g.unlock();
        // Ownership was handed over before the waiter even ran.
        CHECK(m.is_locked());
        CHECK(m.owner() == w.id());
        CHECK_FALSE(m.try_lock().has_value());
        auto again = co_await m.lock();  // queues behind the waiter
        order.push_back("main");
        co_await w;
    }(order));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(order == std::vector<std::string>{"waiter", "main"});
}

TEST_CASE("mutex: try_lock takes a free lock and fails on a held one", "[mutex]") {
    Runtime rt(config());
    rt.block_on([]() -> Task<void> {
        Mutex m;
        auto g = m.try_lock();
        REQUIRE(g.has_value());
        CHECK(m.owner() != 0);
        CHECK_FALSE(m.try_lock().has_value());
        g->unlock();
        CHECK_FALSE(m.is_locked());
        CHECK(m.try_lock().has_value());  // the temporary guard releases at once
        CHECK_FALSE(m.is_locked());
        co_return;
    }());
    CHECK(rt.outcome() == RunOutcome::completed);
}

TEST_CASE("mutex: aborting a waiting or holding task releases its claim", "[mutex]") {
    std::vector<int> order;
    Runtime rt(config());
    rt.block_on([](std::vector<int>& order) -> Task<void> {
        Mutex m("m");
        // A holder that would keep the lock for a long time.
        auto holder = spawn("holder", [](Mutex m) -> Task<void> {
            auto g = co_await m.lock();
            co_await sleep(Nanos(1'000'000'000));
        }(m));
        co_await sleep(Nanos(1000));
        REQUIRE(m.owner() == holder.id());
        auto a = spawn("a", queue_and_record(m, Nanos(100'000), 1, order));
        auto b = spawn("b", queue_and_record(m, Nanos(200'000), 2, order));
        co_await sleep(Nanos(1'000'000));
        REQUIRE(m.waiters() == 2);
        a.abort();  // a waiting task leaves the queue
        co_await a;
        CHECK(m.waiters() == 1);
        holder.abort();  // the holder's guard is destroyed: b gets the lock
        auto r = co_await holder;
        CHECK(r.aborted());
        co_await b;
        CHECK_FALSE(m.is_locked());
    }(order));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(order == std::vector<int>{2});
    CHECK(rt.end_time() < Nanos(1'000'000'000));
}

TEST_CASE("mutex: a lock branch that loses a select has no effect", "[mutex]") {
    for (bool with_next : {true, false}) {
        std::vector<int> order;
        bool free_after = false;
        Runtime rt(config());
        rt.block_on([](bool with_next, std::vector<int>& order, bool& free_after) -> Task<void> {
            Mutex m("contended");
            auto [tx, rx] = mpsc::unbounded<int>("wakeup");
            auto g = co_await m.lock();
            // The racer waits for a message or the lock; the message branch is preferred.
            auto racer =
                spawn("racer",
                      [](Mutex m, mpsc::Receiver<int> rx, std::vector<int>& order) -> Task<void> {
                          auto recv = rx.recv();
                          auto lock = m.lock();
                          const std::size_t won = co_await select_biased(recv, lock);
                          CHECK(won == 0);
                          if (won == 1) order.push_back(0);
                      }(m, std::move(rx), order));
            JoinHandle<void> next;
            if (with_next) next = spawn("next", queue_and_record(m, Nanos(100'000), 1, order));
            co_await sleep(Nanos(1'000'000));
            REQUIRE(m.waiters() == (with_next ? 2u : 1u));
            // Both branches become ready before the racer runs: the lock is granted to it...
            tx.try_send(7);
            g.unlock();
            CHECK(m.owner() == racer.id());
            co_await racer;  // ...but the recv branch wins, so the grant is passed on.
            if (with_next) co_await next;
            free_after = !m.is_locked() && m.try_lock().has_value();
        }(with_next, order, free_after));
        CHECK(rt.outcome() == RunOutcome::completed);
        CHECK(free_after);
        CHECK(order == (with_next ? std::vector<int>{1} : std::vector<int>{}));
    }
}

TEST_CASE("mutex: a guard can outlive the run", "[mutex]") {
    Runtime rt(config());
    auto r = rt.block_on([]() -> Task<MutexGuard> {
        Mutex m("kept");
        co_return co_await m.lock();
    }());
    REQUIRE(r.ok());
    CHECK(r.value->owns_lock());
    r.value->unlock();  // no executor any more: no events, no wakes
    CHECK_FALSE(r.value->owns_lock());
}

TEST_CASE("mutex: opposite lock order deadlocks and is reported", "[mutex]") {
    Runtime rt(config());
    TaskId a_id = 0;
    TaskId b_id = 0;
    rt.block_on([](TaskId& a_id, TaskId& b_id) -> Task<void> {
        Mutex m1("m1");
        Mutex m2("m2");
        auto body = [](Mutex first, Mutex second) -> Task<void> {
            auto g1 = co_await first.lock();
            co_await sleep(Nanos(1'000'000));
            auto g2 = co_await second.lock();
        };
        auto a = spawn("a", body(m1, m2));
        auto b = spawn("b", body(m2, m1));
        a_id = a.id();
        b_id = b.id();
        co_await a;
        co_await b;
    }(a_id, b_id));
    REQUIRE(rt.outcome() == RunOutcome::deadlock);
    const DeadlockReport* rep = rt.deadlock();
    REQUIRE(rep != nullptr);
    CHECK(rep->cycle.size() == 2);
    CHECK(std::count(rep->cycle.begin(), rep->cycle.end(), a_id) == 1);
    CHECK(std::count(rep->cycle.begin(), rep->cycle.end(), b_id) == 1);
    const WaitingTask* a = rep->find(a_id);
    REQUIRE(a != nullptr);
    REQUIRE(a->waits.size() == 1);
    CHECK(a->waits[0].op == WaitOp::lock);
    CHECK(a->waits[0].kind == ResourceKind::mutex);
    CHECK(a->waits[0].name == "m2");
    CHECK(a->waits[0].holders == std::vector<TaskId>{b_id});
    const std::string text = rep->to_text();
    INFO(text);
    CHECK(text.find("'m1'") != std::string::npos);
    CHECK(text.find("'m2'") != std::string::npos);
    CHECK(text.find("held by task " + std::to_string(a_id)) != std::string::npos);
    CHECK(text.find("held by task " + std::to_string(b_id)) != std::string::npos);
    CHECK(text.find("cycle:") != std::string::npos);
}
