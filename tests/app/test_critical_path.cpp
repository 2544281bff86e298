// Critical paths, breakdowns and explain chains on hand-built event streams, where
// every segment is known exactly.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "critical_path.h"
#include "explain.h"
#include "run_model.h"
#include "spindle/instrument/event_payloads.h"

using namespace spindle;
using namespace spindle::view;

namespace {

/// Feeds typed events to a model, seq numbers in order.
class Stream {
public:
    explicit Stream(RunModel& m) : m_model(m) {}
    template <class P>
    void put(Time t, WorkerId w, TaskId task, const P& payload, std::string_view text = {}) {
        Event e;
        e.seq = m_seq++;
        e.time_ns = t;
        e.kind = P::kind;
        e.worker = w;
        e.task = task;
        payload::encode(payload, e);
        if (!text.empty()) e.text = 1;
        m_model.on_event(e, text);
    }
    void start(std::uint32_t workers) {
        put(0, kNoWorker, 0, payload::RunStart{Policy::work_stealing, workers, 1, 0});
        for (WorkerId w = 0; w < workers; ++w)
            put(0, w, 0, payload::WorkerStart{WorkerRole::core});
    }
    void spawn(Time t, TaskId task, std::string_view name, TaskId parent = 0,
               WorkerId queue = kNoWorker) {
        put(t, kNoWorker, task, payload::TaskSpawn{parent, TaskFlavor::async, 1}, name);
        schedule(t, task, queue);
    }
    void schedule(Time t, TaskId task, WorkerId queue = kNoWorker) {
        put(t, kNoWorker, task,
            payload::TaskScheduled{queue == kNoWorker ? QueuePlace::global : QueuePlace::local,
                                   queue});
    }
    void channel(Time t, ResourceId id, std::string_view name) {
        put(t, kNoWorker, 0, payload::ResourceCreated{id, ResourceKind::mpsc, 1, 1}, name);
    }
    void poll(Time t, WorkerId w, TaskId task) { put(t, w, task, payload::PollStart{}); }
    void pending(Time t, WorkerId w, TaskId task) {
        put(t, w, task, payload::PollEnd{PollResult::pending});
    }
    void finish(Time t, WorkerId w, TaskId task) {
        put(t, w, task, payload::PollEnd{PollResult::ready});
        put(t, w, task, payload::TaskEnd{TaskOutcome::completed, 0});
    }
    void wait(Time t, WorkerId w, TaskId task, ResourceId res, WaitOp op) {
        put(t, w, task, payload::WaitStart{res, op});
    }
    void wait_end(Time t, WorkerId w, TaskId task, ResourceId res, WaitOp op) {
        put(t, w, task, payload::WaitEnd{res, op, WaitResult::done});
    }
    /// `waker` sends message `msg` on `chan`, waking `woken` (scheduled on `queue`).
    void send_wake(Time t, WorkerId w, TaskId waker, ResourceId chan, std::uint64_t msg,
                   TaskId woken, WorkerId queue = kNoWorker) {
        put(t, w, waker, payload::ChanSend{chan, msg, 1});
        put(t, w, woken, payload::TaskWake{WakeCause::resource, chan, waker});
        schedule(t, woken, queue);
    }
    void recv(Time t, WorkerId w, TaskId task, ResourceId chan, std::uint64_t msg) {
        put(t, w, task, payload::ChanRecv{chan, msg, 0});
    }
    void end(Time t) {
        put(t, kNoWorker, 0, payload::RunEnd{RunOutcome::completed, 0});
        m_model.on_finish();
    }

private:
    RunModel& m_model;
    std::uint64_t m_seq = 0;
};

PathSegment run(TaskId task, Time a, Time b) {
    return PathSegment{task, a, b, SegmentKind::running, {}};
}
PathSegment busy(TaskId task, Time a, Time b) {
    return PathSegment{task, a, b, SegmentKind::queued_busy, {}};
}
PathSegment idle(TaskId task, Time a, Time b) {
    return PathSegment{task, a, b, SegmentKind::queued_idle, {}};
}
PathSegment wait(TaskId task, Time a, Time b, WaitOp op, std::uint32_t id) {
    return PathSegment{task, a, b, SegmentKind::waiting, WaitTarget{op, id}};
}

/// A (1) sends to B (2) on "ab", B sends to C (3) on "bc"; one worker.
void chain_of_three(RunModel& m) {
    Stream s(m);
    s.start(1);
    s.channel(0, 1, "ab");
    s.channel(0, 2, "bc");
    s.spawn(0, 1, "A");
    s.spawn(0, 2, "B");
    s.spawn(0, 3, "C");
    s.poll(0, 0, 3);
    s.wait(5, 0, 3, 2, WaitOp::recv);
    s.pending(10, 0, 3);
    s.poll(10, 0, 2);
    s.wait(15, 0, 2, 1, WaitOp::recv);
    s.pending(20, 0, 2);
    s.poll(20, 0, 1);
    s.send_wake(100, 0, 1, 1, 1, 2, 0);
    s.finish(100, 0, 1);
    s.poll(100, 0, 2);
    s.recv(100, 0, 2, 1, 1);
    s.wait_end(100, 0, 2, 1, WaitOp::recv);
    s.send_wake(150, 0, 2, 2, 2, 3, 0);
    s.finish(170, 0, 2);
    s.poll(170, 0, 3);
    s.recv(170, 0, 3, 2, 2);
    s.wait_end(170, 0, 3, 2, WaitOp::recv);
    s.finish(200, 0, 3);
    s.end(200);
}

std::vector<std::string> texts(const std::vector<ExplainLine>& lines) {
    std::vector<std::string> out;
    for (const ExplainLine& l : lines)
        out.push_back(l.text());
    return out;
}

}  // namespace

TEST_CASE("critical path: a chain of three tasks follows the wakes back to the first",
          "[critical_path]") {
    RunModel m;
    chain_of_three(m);
    const std::vector<PathSegment> expected = {
        busy(1, 0, 20),     // A queued while the one worker polled C, then B
        run(1, 20, 100),    // A runs until its send wakes B
        run(2, 100, 150),   // B runs until its send wakes C
        busy(3, 150, 170),  // C queued while B still runs
        run(3, 170, 200),
    };
    CHECK(critical_path(m, 3) == expected);
    // B's path ends where B ends: it runs on after the wake.
    CHECK(critical_path(m, 2) ==
          std::vector<PathSegment>{busy(1, 0, 20), run(1, 20, 100), run(2, 100, 170)});
}

TEST_CASE("critical path: a task's own breakdown splits its life exactly", "[critical_path]") {
    RunModel m;
    chain_of_three(m);
    const WorkerIdle idle(m);
    const Breakdown b = breakdown(task_segments(m, idle, 3));
    CHECK(b.running == 40);
    CHECK(b.queued_busy == 20);
    CHECK(b.queued_idle == 0);
    REQUIRE(b.waits.size() == 1);
    CHECK(b.waits[0].target == WaitTarget{WaitOp::recv, 2});
    CHECK(b.waits[0].time == 140);
    CHECK(b.total() == 200);
}

TEST_CASE("explain: a wait's chain names the send that ended it, then the sender's own wait",
          "[explain]") {
    RunModel m;
    chain_of_three(m);
    const TaskInfo* c = m.task(3);
    REQUIRE(c);
    std::size_t waiting = 0;
    while (waiting < c->spans.size() && c->spans[waiting].state != TaskState::waiting)
        ++waiting;
    REQUIRE(waiting < c->spans.size());
    const std::vector<ExplainLine> chain = explain_wait(m, 3, waiting);
    CHECK(texts(chain) ==
          std::vector<std::string>{
              "C waited 140 ns (10 ns–150 ns) in `recv` on bc: the buffer was empty; woken by "
              "B's send of message #2 to bc at 150 ns, then queued 20 ns",
              "B had waited 80 ns (20 ns–100 ns) in `recv` on ab: the buffer was empty; woken "
              "by A's send of message #1 to ab at 100 ns"});
    REQUIRE(chain.size() == 2);
    CHECK(chain[1].depth == 1);
    // The waker is a link to B at the wake.
    bool linked = false;
    for (const ExplainPiece& p : chain[0].pieces)
        linked = linked || (p.text == "B" && p.task == 2 && p.time == 150);
    CHECK(linked);
}

TEST_CASE("critical path: a task queued while a worker idles is the scheduler's fault",
          "[critical_path]") {
    RunModel m;
    Stream s(m);
    s.start(2);
    s.spawn(0, 1, "A");
    s.spawn(0, 2, "D");
    s.poll(0, 0, 1);
    s.poll(0, 1, 2);
    s.spawn(10, 3, "B", 1, 0);  // into worker 0's local queue; worker 1 never steals it
    s.finish(30, 1, 2);         // from here worker 1 is idle
    s.finish(50, 0, 1);
    s.poll(50, 0, 3);
    s.finish(80, 0, 3);
    s.end(80);
    CHECK(critical_path(m, 3) == std::vector<PathSegment>{run(1, 0, 10), busy(3, 10, 30),
                                                          idle(3, 30, 50), run(3, 50, 80)});
    const Breakdown b = breakdown(task_segments(m, WorkerIdle(m), 3));
    CHECK(b.queued_busy == 20);
    CHECK(b.queued_idle == 20);
    CHECK(b.running == 30);
    CHECK(b.waits.empty());
    // The queued span, explained.
    const TaskInfo* t = m.task(3);
    std::size_t queued = 0;
    while (queued < t->spans.size() && t->spans[queued].state != TaskState::queued)
        ++queued;
    CHECK(texts(explain_queued(m, WorkerIdle(m), 3, queued)) ==
          std::vector<std::string>{"B was queued 40 ns (10 ns–50 ns) in thread 0's queue: a worker "
                                   "sat idle for 20 ns of it — the scheduler's fault; polled on "
                                   "thread 0 at 50 ns"});
    CHECK(explain_queued(m, WorkerIdle(m), 3, queued + 1).empty());  // the running span
}

TEST_CASE("critical path: a select won by its timer waits on the timer, not the channel",
          "[critical_path]") {
    RunModel m;
    Stream s(m);
    s.start(1);
    s.channel(0, 1, "replies");
    s.spawn(0, 1, "S");
    s.poll(0, 0, 1);
    s.put(10, 0, 1, payload::SelectStart{.select = 1, .branches = 2});  // as a select begins
    s.wait(10, 0, 1, 1, WaitOp::recv);
    s.wait(10, 0, 1, 7, WaitOp::sleep);  // timer 7
    s.pending(10, 0, 1);
    s.put(100, kNoWorker, 1, payload::TimerFired{7, 100});
    s.put(100, kNoWorker, 1, payload::TaskWake{WakeCause::timer, 7, 0});
    s.schedule(100, 1);
    s.poll(105, 0, 1);
    s.wait_end(105, 0, 1, 1, WaitOp::recv);
    s.wait_end(105, 0, 1, 7, WaitOp::sleep);
    s.finish(110, 0, 1);
    s.end(110);
    CHECK(critical_path(m, 1) == std::vector<PathSegment>{run(1, 0, 10),
                                                          wait(1, 10, 100, WaitOp::sleep, 7),
                                                          idle(1, 100, 105), run(1, 105, 110)});
    const Breakdown b = breakdown(task_segments(m, WorkerIdle(m), 1));
    REQUIRE(b.waits.size() == 1);
    CHECK(b.waits[0].target == WaitTarget{WaitOp::sleep, 7});
    CHECK(b.waits[0].time == 90);
    const Explanation e = explain_task(m, WorkerIdle(m), 1);
    REQUIRE(e.chains.size() == 1);
    CHECK(texts(e.chains[0]) ==
          std::vector<std::string>{"S waited 90 ns (10 ns–100 ns) in a select on 2 branches: recv "
                                   "on replies, sleep on timer 7; the timer fired at 100 ns, then "
                                   "queued 5 ns"});
}

TEST_CASE("find_task takes a name or #id", "[explain]") {
    RunModel m;
    chain_of_three(m);
    CHECK(find_task(m, "B") == TaskId{2});
    CHECK(find_task(m, "#3") == TaskId{3});
    CHECK_FALSE(find_task(m, "#9").has_value());
    CHECK_FALSE(find_task(m, "nobody").has_value());
    CHECK_FALSE(find_task(m, "#").has_value());
}
