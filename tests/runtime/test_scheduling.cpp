// Scheduling: the LIFO slot, stealing under imbalance, queue overflow, parking,
// and how the policies differ.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/mpsc.h"

using namespace spindle;

namespace {

constexpr Nanos ms(std::int64_t n) {
    return Nanos(n * 1'000'000);
}

RuntimeConfig cfg(int workers, Policy policy = Policy::work_stealing, std::uint64_t seed = 1) {
    return rt_test::config_with(workers, seed, policy, RuntimeConfig{}.poll_cost);
}

/// One task spawns `n` CPU-bound children without waiting in between.
Task<void> fan_out(int n, Nanos each) {
    std::vector<JoinHandle<void>> hs;
    for (int i = 0; i < n; ++i)
        hs.push_back(spawn("job", [](Nanos d) -> Task<void> { co_await work(d); }(each)));
    for (auto& h : hs)
        co_await h;
}

std::size_t count(const Recorder& r, EventKind k, int detail = -1) {
    std::size_t n = 0;
    for (const Event& e : r.events())
        n += e.kind == k && (detail < 0 || e.detail == detail);
    return n;
}

std::set<WorkerId> workers_that_polled(const Recorder& r, std::string_view name) {
    std::map<TaskId, std::string_view> names;
    std::set<WorkerId> ws;
    for (const Event& e : r.events()) {
        if (e.kind == EventKind::task_spawn) names[e.task] = r.text(e.text);
        if (e.kind == EventKind::poll_start && names[e.task] == name) ws.insert(e.worker);
    }
    return ws;
}

}  // namespace

TEST_CASE("a task woken by a worker goes to that worker's LIFO slot and runs next there",
          "[scheduling]") {
    Recorder rec;
    Runtime rt(cfg(2));
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(1);
        auto consumer = spawn("consumer", [](mpsc::Receiver<int> rx) -> Task<void> {
            while (co_await rx.recv()) {
            }
        }(std::move(rx)));
        co_await sleep(ms(1));  // consumer is now waiting on recv
        co_await tx.send(1);    // wakes it from this worker
        tx.drop();
        co_await consumer;
    }());
    // Find the wake of the consumer caused by the send and check its placement and next poll.
    const auto& ev = rec.events();
    bool checked = false;
    for (std::size_t i = 0; i < ev.size() && !checked; ++i) {
        if (ev[i].kind != EventKind::task_wake || ev[i].detail != std::uint8_t(WakeCause::resource))
            continue;
        const Event& wake = ev[i];
        REQUIRE(i + 1 < ev.size());
        const Event& sched = ev[i + 1];
        REQUIRE(sched.kind == EventKind::task_scheduled);
        CHECK(sched.task == wake.task);
        CHECK(sched.detail == std::uint8_t(QueuePlace::lifo));
        CHECK(sched.object == wake.worker);
        for (std::size_t k = i + 1; k < ev.size(); ++k)
            if (ev[k].kind == EventKind::poll_start && ev[k].worker == wake.worker) {
                CHECK(ev[k].task == wake.task);  // the LIFO task runs next on the waking worker
                checked = true;
                break;
            }
    }
    CHECK(checked);
}

TEST_CASE("idle workers steal half of a busy worker's queue", "[scheduling]") {
    Recorder rec;
    Runtime rt(cfg(4));
    rt.subscribe(rec);
    rt.block_on(fan_out(32, ms(1)));
    CHECK(count(rec, EventKind::worker_steal) > 0);
    for (const Event& e : rec.events())
        if (e.kind == EventKind::worker_steal) {
            CHECK(e.count >= 1);
            CHECK(e.object != e.worker);
        }
    CHECK(workers_that_polled(rec, "job").size() == 4);
    // 32 ms of work on 4 workers: close to 8 ms, far below serial 32 ms.
    CHECK(rt.end_time() < ms(12));
}

TEST_CASE("a full local queue overflows half of itself into the global queue", "[scheduling]") {
    Recorder rec;
    RuntimeConfig c = cfg(2);
    c.local_queue_capacity = 4;
    Runtime rt(c);
    rt.subscribe(rec);
    rt.block_on(fan_out(20, ms(1)));
    CHECK(count(rec, EventKind::task_scheduled, int(QueuePlace::global)) > 1);
    CHECK(rt.outcome() == RunOutcome::completed);
}

TEST_CASE("workers with nothing to do park and are unparked when work arrives", "[scheduling]") {
    Recorder rec;
    Runtime rt(cfg(3));
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        co_await sleep(ms(1));
        co_await fan_out(6, ms(1));
    }());
    CHECK(count(rec, EventKind::worker_park) >= 2);
    CHECK(count(rec, EventKind::worker_unpark) >= 1);
    // Every unpark follows a park of the same worker.
    std::map<WorkerId, bool> parked;
    for (const Event& e : rec.events()) {
        if (e.kind == EventKind::worker_park) parked[e.worker] = true;
        if (e.kind == EventKind::worker_unpark) {
            CHECK(parked[e.worker]);
            parked[e.worker] = false;
        }
    }
}

TEST_CASE("global-queue policy: no LIFO slot, no stealing, shared FIFO", "[scheduling]") {
    Recorder rec;
    Runtime rt(cfg(4, Policy::global_queue));
    rt.subscribe(rec);
    rt.block_on(fan_out(32, ms(1)));
    CHECK(count(rec, EventKind::worker_steal) == 0);
    CHECK(count(rec, EventKind::task_scheduled, int(QueuePlace::lifo)) == 0);
    CHECK(count(rec, EventKind::task_scheduled, int(QueuePlace::local)) == 0);
    CHECK(workers_that_polled(rec, "job").size() == 4);
    // FIFO: jobs start polling in spawn order.
    std::vector<TaskId> spawned, first_polled;
    std::set<TaskId> seen;
    for (const Event& e : rec.events()) {
        if (e.kind == EventKind::task_spawn && rec.text(e.text) == "job") spawned.push_back(e.task);
        if (e.kind == EventKind::poll_start && e.task != 1 && seen.insert(e.task).second)
            first_polled.push_back(e.task);
    }
    CHECK(first_polled == spawned);
}

TEST_CASE("current-thread policy runs everything on one worker", "[scheduling]") {
    Recorder rec;
    Runtime rt(cfg(4, Policy::current_thread));
    rt.subscribe(rec);
    rt.block_on(fan_out(8, ms(1)));
    CHECK(rt.config().workers == 1);
    CHECK(workers_that_polled(rec, "job") == std::set<WorkerId>{0});
    CHECK(rt.end_time() >= ms(8));
}

TEST_CASE("policies produce different schedules for the same program", "[scheduling]") {
    auto run = [](Policy p) {
        Recorder rec;
        Runtime rt(cfg(4, p));
        rt.subscribe(rec);
        rt.block_on(fan_out(16, ms(1)));
        std::vector<std::pair<WorkerId, TaskId>> polls;
        for (const Event& e : rec.events())
            if (e.kind == EventKind::poll_start) polls.emplace_back(e.worker, e.task);
        return polls;
    };
    CHECK(run(Policy::work_stealing) != run(Policy::global_queue));
}

TEST_CASE("a yielding task goes to the back of the local queue", "[scheduling]") {
    Recorder rec;
    Runtime rt(cfg(1));
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> { co_await yield_now(); }());
    bool saw = false;
    for (const Event& e : rec.events())
        if (e.kind == EventKind::task_wake && e.detail == std::uint8_t(WakeCause::yield))
            saw = true;
    CHECK(saw);
    CHECK(count(rec, EventKind::task_scheduled, int(QueuePlace::local)) == 1);
}

TEST_CASE("coop budget: a task whose awaits never wait yields after 128 of them", "[scheduling]") {
    std::vector<std::string> order;
    Runtime rt(cfg(1));
    Recorder rec;
    rt.subscribe(rec);
    rt.block_on([](std::vector<std::string>& order) -> Task<void> {
        auto [tx, rx] = mpsc::unbounded<int>("flood");
        for (int i = 0; i < 1000; ++i)
            tx.try_send(i);  // every recv below completes at once
        auto other = spawn("other", [](std::vector<std::string>& order) -> Task<void> {
            order.push_back("other ran");
            co_return;
        }(order));
        for (int n = 1; n <= 1000; ++n) {
            auto v = co_await rx.recv();
            (void)v;
            if (n == 300) order.push_back("300 received");
        }
        order.push_back("all received");
        co_await other;
    }(order));
    // Without the budget main would keep the only worker for all 1000 receives.
    CHECK(order == std::vector<std::string>{"other ran", "300 received", "all received"});
    std::size_t main_yields = 0;
    for (const Event& e : rec.events())
        if (e.kind == EventKind::task_wake && e.task == 1 &&
            e.detail == static_cast<std::uint8_t>(WakeCause::yield))
            ++main_yields;
    CHECK(main_yields == 1000 / Executor::kCoopBudget);  // 7: after 128, 256, ... 896 receives
}

TEST_CASE("budgets end the run with budget_exceeded", "[scheduling]") {
    RuntimeConfig c = cfg(2);
    c.max_time = ms(5);
    Runtime rt(c);
    rt.block_on([]() -> Task<void> {
        for (;;)
            co_await sleep(ms(1));
    }());
    CHECK(rt.outcome() == RunOutcome::budget_exceeded);
    CHECK(rt.end_time() <= ms(5));

    RuntimeConfig c2 = cfg(2);
    c2.max_events = 1000;
    Runtime rt2(c2);
    rt2.block_on([]() -> Task<void> {
        for (;;)
            co_await yield_now();
    }());
    CHECK(rt2.outcome() == RunOutcome::budget_exceeded);
}

TEST_CASE("run_end says which budget stopped the run", "[scheduling]") {
    auto spin = []() -> Task<void> {
        for (;;)
            co_await yield_now();
    };
    /// The run's outcome, stop_reason() and run_end's text, which must agree.
    auto stopped = [](Runtime& rt, Task<void> main) {
        Recorder rec;
        rt.subscribe(rec);
        rt.block_on(std::move(main));
        REQUIRE(rec.events().size() > 0);
        const Event& end = rec.events().back();
        REQUIRE(end.kind == EventKind::run_end);
        CHECK(rec.text(end.text) == rt.stop_reason());
        return std::pair{rt.outcome(), rt.stop_reason()};
    };
    RuntimeConfig events = cfg(2);
    events.max_events = 300;
    Runtime by_events(events);
    CHECK(stopped(by_events, spin()) ==
          std::pair{RunOutcome::budget_exceeded,
                    std::string("the event budget of 300 events is spent")});
    RuntimeConfig time = cfg(2);
    time.max_time = Nanos(2'500'000);
    Runtime by_time(time);
    CHECK(stopped(by_time,
                  []() -> Task<void> {
                      for (;;)
                          co_await sleep(ms(1));
                  }()) == std::pair{RunOutcome::budget_exceeded,
                                    std::string("the virtual-time budget of 2.5 ms is spent")});
    std::atomic<bool> cancel{true};
    RuntimeConfig cancelled = cfg(2);
    cancelled.stop_flag = &cancel;
    Runtime by_flag(cancelled);
    CHECK(stopped(by_flag, spin()) ==
          std::pair{RunOutcome::budget_exceeded, std::string("cancelled")});
    // An embedder's own budget stops the run through request_stop and names itself.
    RuntimeConfig own = cfg(2);
    own.max_events = 300;
    Runtime by_embedder(own);
    by_embedder.request_stop();
    CHECK(stopped(by_embedder, spin()).second == "stopped by its embedder");
    Runtime named(own);
    named.set_stop_reason([] { return std::string("the heap budget is spent"); });
    named.request_stop();
    CHECK(stopped(named, spin()).second == "the heap budget is spent");
    // A run that ends by itself has no reason.
    Runtime done(cfg(2));
    CHECK(stopped(done, []() -> Task<void> { co_return; }()) ==
          std::pair{RunOutcome::completed, std::string()});
}
