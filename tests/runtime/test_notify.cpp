// Notify: the single stored permit, FIFO notify_one, notify_waiters, select forwarding.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/sync/mpsc.h"
#include "spindle/sync/notify.h"
#include "spindle/sync/select.h"

using namespace spindle;

namespace {

RuntimeConfig config(int workers = 2) {
    return rt_test::config_with(workers, 1);
}

/// True when `n` notifies within `timeout`.
Task<bool> notified_within(Notify n, Nanos timeout) {
    auto note = n.notified();
    auto timer = sleep(timeout);
    co_return co_await select_biased(note, timer) == 0;
}

/// After `delay`, waits for a notification and records `label`.
Task<void> wait_and_record(Notify n, Nanos delay, std::string label,
                           std::vector<std::string>& order) {
    co_await sleep(delay);
    co_await n.notified();
    order.push_back(label);
}

}  // namespace

TEST_CASE("notify: notify_one with nobody waiting stores exactly one permit", "[notify]") {
    std::vector<bool> got;
    Runtime rt(config());
    rt.block_on([](std::vector<bool>& got) -> Task<void> {
        Notify n("note");
        CHECK_FALSE(n.has_permit());
        n.notify_one();
        n.notify_one();  // permits do not add up
        CHECK(n.has_permit());
        got.push_back(co_await notified_within(n, Nanos(1'000'000)));
        CHECK_FALSE(n.has_permit());
        got.push_back(co_await notified_within(n, Nanos(1'000'000)));
    }(got));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(got == std::vector<bool>{true, false});
}

TEST_CASE("notify: the stored permit completes the next wait without suspending", "[notify]") {
    Runtime rt(config());
    rt.block_on([]() -> Task<void> {
        Notify n;
        n.notify_one();
        const Nanos before = now();
        co_await n.notified();
        CHECK(now() == before);
    }());
    CHECK(rt.outcome() == RunOutcome::completed);
}

TEST_CASE("notify: notify_one wakes the oldest waiter first", "[notify]") {
    std::vector<std::string> order;
    std::vector<std::uint32_t> waiting;
    Runtime rt(config());
    rt.block_on(
        [](std::vector<std::string>& order, std::vector<std::uint32_t>& waiting) -> Task<void> {
            Notify n("fifo");
            std::vector<JoinHandle<void>> hs;
            const std::vector<int> rank{2, 0, 1};
            for (int i = 0; i < 3; ++i)
                hs.push_back(spawn("w", wait_and_record(n, Nanos(100'000 * (rank[i] + 1)),
                                                        std::to_string(rank[i]), order)));
            co_await sleep(Nanos(1'000'000));
            for (int i = 0; i < 3; ++i) {
                waiting.push_back(n.waiters());
                n.notify_one();
                co_await sleep(Nanos(1'000'000));
            }
            for (auto& h : hs)
                co_await h;
            CHECK_FALSE(n.has_permit());
        }(order, waiting));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(order == std::vector<std::string>{"0", "1", "2"});
    CHECK(waiting == std::vector<std::uint32_t>{3, 2, 1});
}

TEST_CASE("notify: notify_waiters wakes every current waiter and stores nothing", "[notify]") {
    std::vector<std::string> order;
    bool later = true;
    Runtime rt(config());
    rt.block_on([](std::vector<std::string>& order, bool& later) -> Task<void> {
        Notify n("all");
        std::vector<JoinHandle<void>> hs;
        for (int i = 0; i < 4; ++i)
            hs.push_back(spawn("w", wait_and_record(n, Nanos(100'000), "w", order)));
        co_await sleep(Nanos(1'000'000));
        REQUIRE(n.waiters() == 4);
        n.notify_waiters();
        CHECK(n.waiters() == 0);
        for (auto& h : hs)
            co_await h;
        CHECK_FALSE(n.has_permit());
        later = co_await notified_within(n, Nanos(1'000'000));
    }(order, later));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(order.size() == 4);
    CHECK_FALSE(later);
}

TEST_CASE("notify: a Notified created before notify_waiters sees it", "[notify]") {
    bool done = false;
    Runtime rt(config());
    rt.block_on([](bool& done) -> Task<void> {
        Notify n;
        auto early = n.notified();  // created, not yet awaited
        auto late_timer = sleep(Nanos(1'000'000));
        n.notify_waiters();
        auto fresh = n.notified();  // created after: not notified
        done = co_await select_biased(early, late_timer) == 0;
        const bool again = co_await notified_within(n, Nanos(1000));
        CHECK_FALSE(again);
        (void)fresh;
    }(done));
    CHECK(done);
}

TEST_CASE("notify: a notified branch that loses a select forwards the notification", "[notify]") {
    for (bool with_next : {true, false}) {
        std::vector<std::string> order;
        bool permit_after = false;
        Runtime rt(config());
        rt.block_on(
            [](bool with_next, std::vector<std::string>& order, bool& permit_after) -> Task<void> {
                Notify n("forward");
                auto [tx, rx] = mpsc::unbounded<int>();
                auto racer = spawn("racer",
                                   [](Notify n, mpsc::Receiver<int> rx,
                                      std::vector<std::string>& order) -> Task<void> {
                                       auto recv = rx.recv();
                                       auto note = n.notified();
                                       if (co_await select_biased(recv, note) == 1)
                                           order.push_back("racer");
                                   }(n, std::move(rx), order));
                JoinHandle<void> next;
                if (with_next)
                    next = spawn("next", wait_and_record(n, Nanos(100'000), "next", order));
                co_await sleep(Nanos(1'000'000));
                REQUIRE(n.waiters() == (with_next ? 2u : 1u));
                tx.try_send(1);
                n.notify_one();  // picks the racer, whose recv branch then wins
                co_await racer;
                if (with_next) co_await next;
                permit_after = n.has_permit();
            }(with_next, order, permit_after));
        CHECK(rt.outcome() == RunOutcome::completed);
        if (with_next) {
            CHECK(order == std::vector<std::string>{"next"});
            CHECK_FALSE(permit_after);
        } else {
            CHECK(order.empty());
            CHECK(permit_after);  // restored as the stored permit
        }
    }
}

TEST_CASE("notify: an aborted waiter picked by notify_one passes it on", "[notify]") {
    std::vector<std::string> order;
    Runtime rt(config());
    rt.block_on([](std::vector<std::string>& order) -> Task<void> {
        Notify n;
        auto a = spawn("a", wait_and_record(n, Nanos(100'000), "a", order));
        auto b = spawn("b", wait_and_record(n, Nanos(200'000), "b", order));
        co_await sleep(Nanos(1'000'000));
        n.notify_one();  // picks a...
        a.abort();       // ...which is destroyed before it runs
        co_await a;
        co_await b;
    }(order));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(order == std::vector<std::string>{"b"});
}
