// DeadlockView: the stuck waits, the wait-for cycle and the one-line headline of a
// deadlocked run, from a real run of two tasks taking two mutexes in opposite order.
#include <catch2/catch.hpp>

#include <algorithm>

#include "app_test_support.h"
#include "deadlock_view.h"
#include "run_model.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/sync/mutex.h"

using namespace spindle;
using namespace spindle::view;

namespace {

/// "transfer a->b" holds "account a" and wants "account b"; "transfer b->a" the reverse.
void run_deadlock(RunModel& model) {
    RuntimeConfig c;
    c.workers = 2;
    Runtime rt(c);
    rt.subscribe(model);
    rt.block_on([]() -> Task<void> {
        Mutex a("account a");
        Mutex b("account b");
        auto body = [](Mutex first, Mutex second) -> Task<void> {
            auto g1 = co_await first.lock();
            co_await work(app_test::ms(1));
            auto g2 = co_await second.lock();
        };
        auto x = spawn("transfer a->b", body(a, b));
        auto y = spawn("transfer b->a", body(b, a));
        co_await x;
        co_await y;
    }());
}

ResourceId resource_named(const RunModel& m, std::string_view name) {
    for (const ResourceTrack& r : m.resources())
        if (r.name == name) return r.id;
    return 0;
}

}  // namespace

TEST_CASE("a deadlock's stuck waits last to the run's end, each on the lock the other holds",
          "[app][deadlock]") {
    RunModel m;
    run_deadlock(m);
    REQUIRE(m.run().outcome == RunOutcome::deadlock);
    const TaskInfo* ab = app_test::task_named(m, "transfer a->b");
    const TaskInfo* ba = app_test::task_named(m, "transfer b->a");
    REQUIRE(ab);
    REQUIRE(ba);
    const ResourceId acc_a = resource_named(m, "account a"), acc_b = resource_named(m, "account b");

    const DeadlockView v = deadlock_view(m);
    // Both transfers, and main joining the first of them.
    REQUIRE(v.stuck.size() == 3);
    const TaskInfo* main = app_test::task_named(m, "main");
    REQUIRE(main);
    REQUIRE(v.stuck_task(main->id));
    CHECK(v.stuck_task(main->id)->waits.front() == WaitRef{ab->id, WaitOp::join});
    const StuckWait* s = v.stuck_task(ab->id);
    REQUIRE(s);
    // The wait began when the second lock was asked for and never ended: the
    // model closes it at the run's end, the picture carries it past.
    CHECK(s->since > 0);
    CHECK(s->since <= m.end_time());
    CHECK(ab->spans.back().end == m.end_time());
    REQUIRE(s->waits.size() == 1);
    CHECK(s->waits.front() == WaitRef{acc_b, WaitOp::lock});
    CHECK(s->holders == std::vector<TaskId>{ba->id});
    REQUIRE(v.stuck_task(ba->id));
    CHECK(v.stuck_task(ba->id)->waits.front() == WaitRef{acc_a, WaitOp::lock});
    CHECK(v.stuck_task(ba->id)->holders == std::vector<TaskId>{ab->id});

    // The cycle: each waiter, the mutex it waits on, the task holding it.
    REQUIRE(v.cycle.size() == 2);
    std::vector<ResourceId> over;
    std::vector<TaskId> waiters;
    for (const CycleEdge& e : v.cycle) {
        over.push_back(e.resource);
        waiters.push_back(e.waiter);
        CHECK(e.op == WaitOp::lock);
        CHECK(e.holder != e.waiter);
    }
    std::sort(over.begin(), over.end());
    std::sort(waiters.begin(), waiters.end());
    CHECK(over == std::vector<ResourceId>{std::min(acc_a, acc_b), std::max(acc_a, acc_b)});
    CHECK(waiters == std::vector<TaskId>{ab->id, ba->id});
    CHECK(v.cycle[0].holder == v.cycle[1].waiter);
    CHECK(v.cycle[1].holder == v.cycle[0].waiter);
}

TEST_CASE("a deadlock's headline names the cycle in one short line", "[app][deadlock]") {
    RunModel m;
    run_deadlock(m);
    const DeadlockView v = deadlock_view(m);
    INFO(v.headline);
    CHECK(v.headline == "deadlock: transfer a->b \u21C4 transfer b->a over account a, account b");
    CHECK(v.headline.find('\n') == std::string::npos);
    CHECK(v.headline.size() <= 100);
    // The details keep the whole report (for the hover and the banner).
    CHECK(v.details.find("held by task") != std::string::npos);
    CHECK(v.details.find("cycle:") != std::string::npos);
}

TEST_CASE("a long cycle's headline shortens names and stays one short line", "[app][deadlock]") {
    DeadlockReport r;
    const std::string longname(60, 'x');
    for (TaskId id = 1; id <= 4; ++id) {
        WaitingTask t;
        t.task = id;
        t.name = longname + " worker " + std::to_string(id);
        WaitInfo w;
        w.resource = 10 + id;
        w.op = WaitOp::lock;
        w.kind = ResourceKind::mutex;
        w.name = "lock number " + std::to_string(id);
        w.holders = {id % 4 + 1};
        t.waits.push_back(w);
        r.tasks.push_back(t);
    }
    r.cycle = find_wait_cycle(r.tasks);
    REQUIRE(r.cycle.size() == 4);
    const std::string line = deadlock_headline(r);
    INFO(line);
    CHECK(line.rfind("deadlock: ", 0) == 0);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.size() <= 130);  // bytes: arrows and ellipses are 3 bytes each
    for (const char* tail : {"1", "2", "3", "4"})
        CHECK(line.find(std::string(tail) + " \u2192") != std::string::npos);
}

TEST_CASE("a run that did not deadlock has no deadlock picture", "[app][deadlock]") {
    RunModel m;
    app_test::run_pipeline(m);
    CHECK(deadlock_view(m).empty());
    CHECK(deadlock_view(m).headline.empty());
}
