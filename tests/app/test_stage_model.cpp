// The Stage: what sits where at an instant (workers, queues, channel buffers,
// waiters, sleepers), how chips move between places, and that a snapshot depends
// only on the time asked for. Runs real programs on the C++ runtime.
// Note: never co_await inside a Catch2 assertion macro (GCC awaits twice).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "app_test_support.h"
#include "run_model.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/sync/mpsc.h"
#include "spindle/sync/mutex.h"
#include "stage_model.h"

using namespace spindle;
using namespace spindle::view;

namespace {

using app_test::ms;
using app_test::run_pipeline;

/// One worker; main spawns a, b, c (LIFO slot, then local queue) and works 1 ms.
void run_spawner(RunModel& model) {
    RuntimeConfig c;
    c.workers = 1;
    Runtime rt(c);
    rt.subscribe(model);
    rt.block_on([]() -> Task<void> {
        auto a = spawn("a", []() -> Task<void> { co_await work(ms(1)); }());
        auto b = spawn("b", []() -> Task<void> { co_await work(ms(1)); }());
        auto c = spawn("c", []() -> Task<void> { co_await work(ms(1)); }());
        auto sleeper = spawn("sleeper", []() -> Task<void> { co_await sleep(ms(2)); }());
        co_await work(ms(1));
        co_await a;
        co_await b;
        co_await c;
        co_await sleeper;
    }());
}

TaskId task_named(const RunModel& m, const std::string& name) {
    const TaskInfo* t = app_test::task_named(m, name);
    return t ? t->id : 0;
}

const PollSlice* first_poll(const RunModel& m, TaskId task) {
    const PollSlice* best = nullptr;
    for (const WorkerTrack& w : m.workers())
        for (const PollSlice& p : w.polls)
            if (p.task == task && (!best || p.start < best->start)) best = &p;
    return best;
}

/// The longest span of `task` waiting with `op`.
const TaskSpan* longest_wait(const RunModel& m, TaskId task, WaitOp op) {
    const TaskSpan* best = nullptr;
    for (const TaskSpan& s : m.task(task)->spans)
        if (s.state == TaskState::waiting && s.op == op &&
            (!best || s.end - s.start > best->end - best->start))
            best = &s;
    return best;
}

}  // namespace

TEST_CASE("stage: queues hold spawned tasks in order until their poll", "[app][stage]") {
    RunModel m;
    run_spawner(m);
    const TaskId a = task_named(m, "a"), b = task_named(m, "b"), c = task_named(m, "c");
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    const PollSlice* main_poll = first_poll(m, 1);
    REQUIRE(main_poll);
    // Halfway through main's first poll (1 ms of work): nothing else has run yet.
    const Time t = main_poll->start + ms(1).count() / 2;
    REQUIRE(t < main_poll->end);
    const StageSnapshot s = stage_at(m, t);
    REQUIRE(s.workers.size() == 1);
    CHECK(s.workers[0].running == 1);
    CHECK(s.workers[0].poll_start == main_poll->start);
    CHECK_FALSE(s.workers[0].parked);
    // The last spawn took the LIFO slot; the ones it displaced went to the local queue.
    const TaskId sleeper = task_named(m, "sleeper");
    CHECK(s.workers[0].lifo == sleeper);
    CHECK(s.workers[0].local == std::vector<TaskId>{a, b, c});
    CHECK(s.global.empty());
    REQUIRE(s.chip(1));
    CHECK(s.chip(1)->to == StageSlot{StageArea::running, 0, 0});
    REQUIRE(s.chip(b));
    CHECK(s.chip(b)->to == StageSlot{StageArea::local, 0, 1});
    REQUIRE(s.chip(sleeper));
    CHECK(s.chip(sleeper)->to == StageSlot{StageArea::lifo, 0, 0});
    CHECK(s.done == 0);
}

TEST_CASE("stage: the running task is the one whose poll covers the time", "[app][stage]") {
    RunModel m;
    run_spawner(m);
    const StageIndex index(m);
    for (const WorkerTrack& w : m.workers()) {
        for (const PollSlice& p : w.polls) {
            if (p.end <= p.start) continue;
            const Time mid = p.start + (p.end - p.start) / 2;
            const StageSnapshot s = index.at(mid);
            CHECK(s.workers[w.id].running == p.task);
            const TaskChip* chip = s.chip(p.task);
            REQUIRE(chip);
            CHECK(chip->to == StageSlot{StageArea::running, w.id, 0});
        }
    }
}

TEST_CASE("stage: a sleeper shows its wake time", "[app][stage]") {
    RunModel m;
    run_spawner(m);
    const TaskId sleeper = task_named(m, "sleeper");
    const TaskSpan* nap = longest_wait(m, sleeper, WaitOp::sleep);
    REQUIRE(nap);
    const StageSnapshot s = stage_at(m, nap->start + (nap->end - nap->start) / 2);
    REQUIRE(s.sleeping.size() == 1);
    CHECK(s.sleeping[0].task == sleeper);
    REQUIRE(s.sleeping[0].wake_at);
    CHECK(*s.sleeping[0].wake_at == nap->end);
    CHECK(s.chip(sleeper)->to.area == StageArea::sleeping);
}

TEST_CASE("stage: every live task has exactly one chip, finished ones are counted",
          "[app][stage]") {
    RunModel m;
    run_pipeline(m);
    const StageIndex index(m);
    const Time end = m.end_time();
    for (int i = 0; i <= 100; ++i) {
        const Time t = end * i / 100;
        const StageSnapshot s = index.at(t);
        std::uint32_t done = 0;
        for (const TaskInfo& task : m.tasks()) {
            const bool live = task.spawned <= t && (!task.ended || *task.ended > t);
            if (task.ended && *task.ended <= t) ++done;
            if (!live) continue;
            const TaskChip* chip = s.chip(task.id);
            REQUIRE(chip);
            CHECK(chip->to.area != StageArea::done);
        }
        CHECK(s.done == done);
        for (std::size_t k = 1; k < s.tasks.size(); ++k)
            CHECK(s.tasks[k - 1].task < s.tasks[k].task);
        for (const StageWorker& w : s.workers)
            if (w.running) CHECK(s.chip(w.running)->to.area == StageArea::running);
    }
    const StageSnapshot last = index.at(end);
    CHECK(last.done == m.tasks().size());
    CHECK(last.recent_done.size() == m.tasks().size());
}

TEST_CASE("stage: a full channel shows its buffered messages and the blocked sender",
          "[app][stage]") {
    RunModel m;
    run_pipeline(m);
    const ResourceTrack* pipe = nullptr;
    for (const ResourceTrack& r : m.resources())
        if (r.name == "pipe") pipe = &r;
    REQUIRE(pipe);
    const TaskSpan* blocked = longest_wait(m, 1, WaitOp::send);
    REQUIRE(blocked);
    REQUIRE(blocked->resource == pipe->id);
    const Time t = blocked->start + (blocked->end - blocked->start) / 2;

    const StageSnapshot s = stage_at(m, t);
    const StageChannel* c = s.channel(pipe->id);
    REQUIRE(c);
    CHECK(c->created);
    std::vector<std::uint64_t> expected;
    for (const MessageSpan& msg : pipe->messages)
        if (msg.sent <= t && t < msg.received) expected.push_back(msg.msg);
    CHECK(expected.size() == 2);
    CHECK(c->buffered == expected);
    CHECK(c->senders == std::vector<TaskId>{1});
    CHECK(c->receivers.empty());
    REQUIRE(s.chip(1));
    CHECK(s.chip(1)->to == StageSlot{StageArea::senders, pipe->id, 0});
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const MessageChip* chip = s.message(expected[i]);
        REQUIRE(chip);
        CHECK(chip->to == StageSlot{StageArea::buffer, pipe->id, static_cast<std::uint32_t>(i)});
        CHECK_FALSE(chip->leaving);
        CHECK(chip->sender == 1);
    }
}

TEST_CASE("stage: a chip's progress goes from 0 to 1 across a change", "[app][stage]") {
    RunModel m;
    run_pipeline(m);
    const TaskSpan* blocked = longest_wait(m, 1, WaitOp::send);
    REQUIRE(blocked);
    const Time c = blocked->start;
    const Time animation = (blocked->end - blocked->start) / 4;
    REQUIRE(animation > 0);
    const StageIndex index(m);

    const StageSnapshot at_change = index.at(c, animation);
    REQUIRE(at_change.chip(1));
    const TaskChip start = *at_change.chip(1);
    CHECK(start.progress == Approx(0.0));
    CHECK(start.since == c);
    CHECK(start.from.area == StageArea::running);  // it was polled when it began to wait
    CHECK(start.to.area == StageArea::senders);

    const TaskChip half = *index.at(c + animation / 2, animation).chip(1);
    CHECK(half.progress == Approx(0.5).margin(0.01));
    CHECK(half.from == start.from);
    CHECK(half.to == start.to);

    double before = -1;
    for (int i = 0; i <= 10; ++i) {
        const TaskChip chip = *index.at(c + animation * i / 10, animation).chip(1);
        CHECK(chip.progress >= before);
        before = chip.progress;
    }
    const TaskChip end = *index.at(c + animation, animation).chip(1);
    CHECK(end.progress == Approx(1.0));
    const TaskChip later = *index.at(c + 2 * animation, animation).chip(1);
    CHECK(later.progress == 1.0);
    CHECK(later.from == later.to);
}

TEST_CASE("stage: a chip slides forward when the one ahead leaves its queue", "[app][stage]") {
    RunModel m;
    run_spawner(m);
    const TaskId a = task_named(m, "a"), b = task_named(m, "b");
    const PollSlice* a_poll = first_poll(m, a);
    REQUIRE(a_poll);
    const Time animation = 100'000;
    const StageIndex index(m);
    const StageSnapshot before = index.at(a_poll->start - 1, animation);
    REQUIRE(before.chip(b));
    CHECK(before.chip(b)->to == StageSlot{StageArea::local, 0, 1});
    const StageSnapshot s = index.at(a_poll->start + animation / 4, animation);
    REQUIRE(s.chip(b));
    CHECK(s.chip(b)->from == StageSlot{StageArea::local, 0, 1});
    CHECK(s.chip(b)->to == StageSlot{StageArea::local, 0, 0});
    CHECK(s.chip(b)->progress == Approx(0.25).margin(0.01));
    // a itself moved from the front of the queue onto the worker.
    CHECK(s.chip(a)->from == StageSlot{StageArea::local, 0, 0});
    CHECK(s.chip(a)->to == StageSlot{StageArea::running, 0, 0});
}

TEST_CASE("stage: a received message leaves its slot for the channel's exit", "[app][stage]") {
    RunModel m;
    run_pipeline(m);
    const ResourceTrack* pipe = m.resource(1);
    REQUIRE(pipe);
    REQUIRE(pipe->name == "pipe");
    const MessageSpan& first = pipe->messages.front();
    const Time animation = 10'000;
    const StageSnapshot s = stage_at(m, first.received + animation / 2, animation);
    const MessageChip* chip = s.message(first.msg);
    REQUIRE(chip);
    CHECK(chip->leaving);
    CHECK(chip->from.area == StageArea::buffer);
    CHECK(chip->to == StageSlot{StageArea::chan_out, pipe->id, 0});
    CHECK(chip->progress == Approx(0.5));
    CHECK(stage_at(m, first.received + animation, animation).message(first.msg) == nullptr);
}

TEST_CASE("stage: scrubbing backwards gives the snapshots playing forwards gave", "[app][stage]") {
    RunModel m;
    run_pipeline(m);
    const StageIndex index(m);
    const Time end = m.end_time();
    const Time animation = index.default_animation();
    CHECK(animation > 0);
    std::vector<StageSnapshot> forwards;
    for (int i = 0; i <= 300; ++i)
        forwards.push_back(index.at(end * i / 300, animation));
    for (int i = 300; i >= 0; --i) {
        const StageSnapshot back = index.at(end * i / 300, animation);
        CHECK(back == forwards[static_cast<std::size_t>(i)]);
    }
    // A fresh index agrees too (no state carried between queries).
    CHECK(stage_at(m, end / 3, animation) == index.at(end / 3, animation));
}

TEST_CASE("stage: at the end of a deadlocked run the waiters rest at their locks", "[app][stage]") {
    RunModel m;
    RuntimeConfig c;
    c.workers = 2;
    Runtime rt(c);
    rt.subscribe(m);
    rt.block_on([]() -> Task<void> {
        Mutex a("a"), b("b");
        spawn("ab", [](Mutex x, Mutex y) -> Task<void> {
            auto g1 = co_await x.lock();
            co_await work(ms(1));
            auto g2 = co_await y.lock();
        }(a, b));
        spawn("ba", [](Mutex x, Mutex y) -> Task<void> {
            auto g1 = co_await x.lock();
            co_await work(ms(1));
            auto g2 = co_await y.lock();
        }(b, a));
        co_return;
    }());
    REQUIRE(rt.outcome() == RunOutcome::deadlock);
    StageIndex index(m);
    // Even with a long animation, the final picture has every chip in place.
    const StageSnapshot end = index.at(m.end_time(), ms(10).count());
    int waiting = 0;
    for (const TaskChip& chip : end.tasks) {
        CHECK(chip.progress == 1.0);
        if (chip.to.area == StageArea::waiters) ++waiting;
    }
    CHECK(waiting == 2);
    // Each lock is held by the task that waits for the other one: the cycle, on the stage.
    REQUIRE(end.resources.size() == 2);
    for (const StageResource& r : end.resources) {
        REQUIRE(r.holders.size() == 1);
        REQUIRE(r.waiters.size() == 1);
        CHECK(r.holders.front() != r.waiters.front());
    }
    // After the end (the playhead past the last event) nobody has let go: the holders stay.
    const StageSnapshot after = index.at(m.end_time() + ms(1).count(), 0);
    REQUIRE(after.resources.size() == 2);
    for (const StageResource& r : after.resources)
        CHECK(r.holders.size() == 1);
}
