// The viewer's models: events -> lanes, task states, occupancy, wakes; the
// time axis; level-of-detail aggregation.
#include <catch2/catch.hpp>

#include "app_test_support.h"
#include "level_of_detail.h"
#include "run_model.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/sync/broadcast.h"
#include "spindle/sync/mpsc.h"
#include "spindle/sync/mutex.h"
#include "spindle/sync/select.h"
#include "time_axis.h"
#include "time_format.h"

using namespace spindle;
using namespace spindle::view;

namespace {

using app_test::ms;
using app_test::run_pipeline;

}  // namespace

TEST_CASE("events fold into worker lanes of non-overlapping polls", "[app][model]") {
    RunModel m;
    run_pipeline(m);
    REQUIRE(m.finished());
    REQUIRE(m.workers().size() == 2);
    std::size_t polls = 0;
    for (const WorkerTrack& w : m.workers()) {
        for (std::size_t i = 0; i < w.polls.size(); ++i) {
            CHECK(w.polls[i].start <= w.polls[i].end);
            if (i) CHECK(w.polls[i - 1].end <= w.polls[i].start);
        }
        polls += w.polls.size();
    }
    std::uint32_t task_polls = 0;
    for (const TaskInfo& t : m.tasks())
        task_polls += t.polls;
    CHECK(polls == task_polls);
    CHECK(m.run().outcome == RunOutcome::completed);
    CHECK(m.run().workers == 2);
}

TEST_CASE("task state spans are contiguous and say what the task waits on", "[app][model]") {
    RunModel m;
    run_pipeline(m);
    const TaskInfo* consumer = nullptr;
    for (const TaskInfo& t : m.tasks())
        if (t.name == "consumer") consumer = &t;
    REQUIRE(consumer);
    REQUIRE(consumer->ended);
    CHECK(consumer->outcome == TaskOutcome::completed);
    REQUIRE_FALSE(consumer->spans.empty());
    CHECK(consumer->spans.front().start == consumer->spawned);
    for (std::size_t i = 1; i < consumer->spans.size(); ++i)
        CHECK(consumer->spans[i - 1].end == consumer->spans[i].start);
    CHECK(consumer->spans.back().end == *consumer->ended);
    bool waited_on_recv = false, ran = false;
    for (const TaskSpan& s : consumer->spans) {
        if (s.state == TaskState::waiting && s.op == WaitOp::recv) waited_on_recv = true;
        if (s.state == TaskState::running) ran = true;
    }
    CHECK(ran);
    CHECK(consumer->busy >= ms(6).count());
    // main waits on send while the channel is full
    const TaskInfo* main = m.task(1);
    REQUIRE(main);
    bool waited_on_send = false;
    for (const TaskSpan& s : main->spans)
        if (s.state == TaskState::waiting && s.op == WaitOp::send) waited_on_send = true;
    CHECK(waited_on_send);
    (void)waited_on_recv;
}

TEST_CASE("channel occupancy follows sends and receives under its capacity", "[app][model]") {
    RunModel m;
    run_pipeline(m);
    const ResourceTrack* pipe = nullptr;
    for (const ResourceTrack& r : m.resources())
        if (r.name == "pipe") pipe = &r;
    REQUIRE(pipe);
    CHECK(pipe->capacity == 2);
    CHECK(pipe->sent == 6);
    CHECK(pipe->received == 6);
    CHECK(pipe->max_len == 2);
    CHECK(pipe->time_full > 0);
    CHECK_FALSE(pipe->senders_blocked.empty());
    for (const LenPoint& p : pipe->length)
        CHECK(p.len <= 2);
    CHECK(pipe->length.back().len == 0);
    REQUIRE(pipe->messages.size() == 6);
    for (const MessageSpan& msg : pipe->messages) {
        CHECK(msg.sent <= msg.received);
        CHECK(msg.receiver != 0);
    }
}

TEST_CASE("wake arrows connect the waking poll to the woken task's next poll", "[app][model]") {
    RunModel m;
    run_pipeline(m);
    REQUIRE_FALSE(m.wakes().empty());
    std::size_t resolved = 0;
    for (const WakeArrow& a : m.wakes()) {
        if (a.to_time < 0) continue;
        ++resolved;
        CHECK(a.to_time >= a.from_time);
        CHECK(a.to_worker != kNoWorker);
    }
    CHECK(resolved > 0);
}

TEST_CASE("queue spans cover every wait between scheduling and polling", "[app][model]") {
    RunModel m;
    run_pipeline(m);
    REQUIRE_FALSE(m.queue_spans().empty());
    for (const QueueSpan& q : m.queue_spans())
        CHECK(q.start <= q.end);
}

TEST_CASE("time axis maps time to pixels and back, zooms around the anchor", "[app][axis]") {
    TimeAxis a(0, 1'000'000, 1000);
    CHECK(a.x(500'000) == Approx(500));
    CHECK(a.time(250) == 250'000);
    const auto before = a.time(300);
    a.zoom(4, 300);
    CHECK(a.span() == 250'000);
    CHECK(std::llabs(a.time(300) - before) <= 1);
    a.pan(100);
    CHECK(a.start() > 0);
    a.zoom(1e12, 0);
    CHECK(a.span() >= TimeAxis::kMinSpan);
    a.fit(0, 2'000'000, false);
    CHECK(a.start() == 0);
    CHECK(a.end() == 2'000'000);
}

TEST_CASE("ruler ticks use round steps at least the requested distance apart", "[app][axis]") {
    TimeAxis a(0, 10'000'000, 1000);
    const auto step = a.tick_step(80);
    CHECK(step == 1'000'000);
    const auto ticks = a.ticks(80);
    REQUIRE_FALSE(ticks.empty());
    for (const auto& t : ticks)
        if (t.major) CHECK(t.time % step == 0);
    CHECK(format_time(1'500'000, 100'000) == "1.5 ms");
    CHECK(format_time(2'000'000'000, 1'000'000'000) == "2 s");
    CHECK(format_duration(3'200'000) == "3.2 ms");
}

TEST_CASE("level of detail merges sub-pixel slices into at most one block per pixel",
          "[app][lod]") {
    std::vector<PollSlice> slices;
    for (int i = 0; i < 100'000; ++i)
        slices.push_back(PollSlice{i * 100, i * 100 + 50, 1, false});
    TimeAxis fit(0, 10'000'000, 800);
    const auto blocks = view::blocks(slices, fit);
    CHECK(blocks.size() <= 800);
    std::uint64_t covered = 0;
    for (const auto& b : blocks)
        covered += b.count;
    CHECK(covered == slices.size());

    TimeAxis zoomed(0, 1000, 800);  // 10 slices of 62.5 px each
    const auto near = view::blocks(slices, zoomed);
    CHECK(near.size() == 10);
    for (const auto& b : near)
        CHECK(b.count == 1);
    CHECK(near[0].x1 - near[0].x0 == Approx(40));
}

TEST_CASE("lock holds become spans, one per acquisition", "[app][model]") {
    RunModel m;
    RuntimeConfig c;
    c.workers = 2;
    Runtime rt(c);
    rt.subscribe(m);
    rt.block_on([]() -> Task<void> {
        Mutex lock("guarded");
        auto first = co_await lock.lock();
        co_await work(ms(1));
        first.unlock();
        auto second = co_await lock.lock();
        co_await sleep(ms(1));
        co_return;
    }());
    const ResourceTrack* r = nullptr;
    for (const ResourceTrack& t : m.resources())
        if (t.name == "guarded") r = &t;
    REQUIRE(r);
    REQUIRE(r->holds.size() == 2);
    CHECK(r->holds[0].task == 1);
    CHECK(r->holds[0].end - r->holds[0].start >= ms(1).count());
    CHECK(r->holds[1].start >= r->holds[0].end);
}

TEST_CASE("broadcast lag becomes marks on its channel, matching the lag total", "[app][model]") {
    RunModel m;
    Runtime rt(RuntimeConfig{});
    rt.subscribe(m);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = broadcast::channel<int>(2, "bus");
        for (int i = 0; i < 5; ++i)
            tx.send(i);
        auto r = co_await rx.recv();  // 3 behind: lagged
        CHECK(r.status == broadcast::RecvStatus::lagged);
    }());
    const ResourceTrack* bus = nullptr;
    for (const ResourceTrack& t : m.resources())
        if (t.name == "bus") bus = &t;
    REQUIRE(bus);
    REQUIRE(bus->lags.size() == 1);
    CHECK(bus->lags[0].skipped == 3);
    CHECK(bus->lags[0].task == 1);
    CHECK(bus->lagged == 3);
}

TEST_CASE("a task waiting in a select keeps every branch", "[app][model]") {
    RunModel m;
    Runtime rt(RuntimeConfig{});
    rt.subscribe(m);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(1, "never");
        auto recv = rx.recv();
        auto timer = sleep(ms(2));
        co_await select(recv, timer);
    }());
    const TaskInfo* main = m.task(1);
    REQUIRE(main);
    bool select_wait = false;
    for (const TaskSpan& s : main->spans) {
        if (s.state != TaskState::waiting || s.others != 1) continue;
        select_wait = true;
        // Every branch is kept, in the order the select armed them.
        const std::vector<WaitRef>& branches = m.select_waits(s.select);
        REQUIRE(branches.size() == 2);
        CHECK(branches[0].op == WaitOp::recv);
        CHECK(m.resource(branches[0].resource)->name == "never");
        CHECK(branches[1].op == WaitOp::sleep);
    }
    CHECK(select_wait);
    CHECK(m.select_waits(0).empty());
    // span_at finds the span covering a time: main waits in the select at 1 ms.
    const TaskSpan* at_1ms = m.span_at(1, 1'000'000);
    REQUIRE(at_1ms);
    CHECK(at_1ms->state == TaskState::waiting);
    CHECK(at_1ms->select != 0);
    CHECK(m.span_at(1, -1) == nullptr);
    CHECK(m.span_at(99, 0) == nullptr);
}
