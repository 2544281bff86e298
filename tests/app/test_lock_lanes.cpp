// What a lock or signal lane reads from the RunModel: who held it when (shared
// readers stacked, the writer alone), the waiters' queue over time with the
// writers among them, and the releases of a notify or barrier. Hand-built event
// streams for exact numbers; the shipped rwlock_cache scenario for tokio's
// fairness (a waiting writer queues the readers that come after it).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "app_test_support.h"
#include "hold_stack.h"
#include "lock_queue.h"
#include "run_model.h"
#include "spindle/instrument/event_payloads.h"

using namespace spindle;
using namespace spindle::view;

namespace {

/// Feeds typed payloads to a model as events, seq numbers in order.
class Feed {
public:
    explicit Feed(RunModel& m) : m_model(m) {}
    template <class P>
    void operator()(std::int64_t t, TaskId task, const P& data, std::string_view text = {}) {
        Event e;
        e.seq = m_seq++;
        e.time_ns = t;
        e.kind = P::kind;
        e.worker = 0;
        e.task = task;
        payload::encode(data, e);
        e.text = text.empty() ? 0 : 1;
        m_model.on_event(e, text);
    }

private:
    RunModel& m_model;
    std::uint64_t m_seq = 0;
};

const RunModel& rwlock_cache() {
    return app_test::scenario_model("rwlock_cache.lua");
}

const ResourceTrack* resource_named(const RunModel& m, const std::string& name) {
    for (const ResourceTrack& r : m.resources())
        if (r.name == name) return &r;
    return nullptr;
}

}  // namespace

TEST_CASE("lock lanes: a mutex's queue steps up with each waiter and down with each hand-over",
          "[app][lock]") {
    RunModel m;
    Feed feed(m);
    feed(0, 0, payload::RunStart{});
    for (TaskId t = 1; t <= 3; ++t)
        feed(0, t, payload::TaskSpawn{}, "t");
    feed(0, 1, payload::ResourceCreated{.resource = 1, .type = ResourceKind::mutex, .capacity = 1},
         "m");
    feed(10, 1, payload::LockAcquire{.lock = 1, .mode = LockMode::exclusive, .permits = 1});
    feed(20, 2, payload::WaitStart{.resource = 1, .op = WaitOp::lock});
    // A sleep's wait names a timer id, which may equal the mutex's id: not a waiter.
    feed(25, 1, payload::WaitStart{.resource = 1, .op = WaitOp::sleep});
    feed(30, 3, payload::WaitStart{.resource = 1, .op = WaitOp::lock});
    feed(35, 1, payload::WaitEnd{.resource = 1, .op = WaitOp::sleep});
    // The release hands the mutex to task 2 (named as the owner), which runs later.
    feed(40, 1, payload::LockRelease{.lock = 1, .mode = LockMode::exclusive, .permits = 1});
    feed(40, 2, payload::LockAcquire{.lock = 1, .mode = LockMode::exclusive, .permits = 1});
    feed(40, 2, payload::TaskWake{.cause = WakeCause::resource, .source = 1, .waker = 1});
    feed(42, 2, payload::WaitEnd{.resource = 1, .op = WaitOp::lock});
    feed(50, 2, payload::LockRelease{.lock = 1, .mode = LockMode::exclusive, .permits = 1});
    feed(50, 3, payload::LockAcquire{.lock = 1, .mode = LockMode::exclusive, .permits = 1});
    feed(60, 3, payload::LockRelease{.lock = 1, .mode = LockMode::exclusive, .permits = 1});
    m.on_finish();

    const LockQueue& q = m.resource(1)->waiters;
    REQUIRE(q.queue().size() == 4);
    const std::vector<std::pair<std::int64_t, std::uint32_t>> expected{
        {20, 1}, {30, 2}, {40, 1}, {50, 0}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO(i);
        CHECK(q.queue()[i].time == expected[i].first);
        CHECK(q.queue()[i].waiting == expected[i].second);
        CHECK(q.queue()[i].writers == 0);
    }
    CHECK(q.max_waiting() == 2);
    REQUIRE(q.waits().size() == 2);
    CHECK(q.waits()[0].task == 2);
    CHECK(q.waits()[0].end == 40);  // granted at the hand-over, not when it ran
    CHECK(q.waits()[0].granted);
    CHECK(q.at(35).waiting == 2);
    CHECK(q.at(45).waiting == 1);
    REQUIRE(q.waiting_at(45).size() == 1);
    CHECK(q.waiting_at(45).front()->task == 3);
    CHECK(q.releases().empty());  // a lock's hand-overs are holds, not releases
}

TEST_CASE("lock lanes: a notify_waiters is one release mark counting every waiter it woke",
          "[app][lock]") {
    RunModel m;
    Feed feed(m);
    feed(0, 0, payload::RunStart{});
    for (TaskId t = 1; t <= 3; ++t)
        feed(0, t, payload::TaskSpawn{}, "t");
    feed(0, 1, payload::ResourceCreated{.resource = 1, .type = ResourceKind::notify, .capacity = 1},
         "go");
    feed(10, 2, payload::WaitStart{.resource = 1, .op = WaitOp::notified});
    feed(20, 3, payload::WaitStart{.resource = 1, .op = WaitOp::notified});
    for (TaskId t : {2u, 3u})
        feed(30, t, payload::TaskWake{.cause = WakeCause::resource, .source = 1, .waker = 1});
    m.on_finish();
    const LockQueue& q = m.resource(1)->waiters;
    REQUIRE(q.releases().size() == 1);
    CHECK(q.releases()[0].time == 30);
    CHECK(q.releases()[0].waker == 1);
    CHECK(q.releases()[0].woken == 2);
    CHECK(q.at(30).waiting == 0);
    CHECK(q.max_waiting() == 2);
}

TEST_CASE("lock lanes: shared holds stack in slots that keep their place", "[app][lock]") {
    // Three readers overlapping, then a writer alone.
    std::vector<HoldSpan> holds{
        {0, 30, 1, LockMode::shared, 1},
        {10, 20, 2, LockMode::shared, 1},
        {15, 40, 3, LockMode::shared, 1},
        {50, 60, 4, LockMode::exclusive, 1},
    };
    const HoldStack stack = stack_holds(holds);
    CHECK(stack.slots == std::vector<std::uint32_t>{0, 1, 2, 0});
    CHECK(stack.peak == 3);
    // The count of shared holders after each change.
    struct Expected {
        std::int64_t time;
        std::uint32_t holders;
        bool exclusive;
    };
    const std::vector<Expected> expected{{0, 1, false},  {10, 2, false}, {15, 3, false},
                                         {20, 2, false}, {30, 1, false}, {40, 0, false},
                                         {50, 1, true},  {60, 0, false}};
    REQUIRE(stack.counts.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO(i);
        CHECK(stack.counts[i].time == expected[i].time);
        CHECK(stack.counts[i].holders == expected[i].holders);
        CHECK(stack.counts[i].exclusive == expected[i].exclusive);
    }
}

TEST_CASE(
    "lock lanes: rwlock_cache's readers share the lock and a waiting writer queues the "
    "readers after it",
    "[app][lock]") {
    const RunModel& m = rwlock_cache();
    const ResourceTrack* cache = resource_named(m, "cache");
    REQUIRE(cache);
    REQUIRE(cache->kind == ResourceKind::rwlock);
    const TaskInfo* refresher = app_test::task_named(m, "refresher");
    REQUIRE(refresher);

    // Shared spans: several readers at once; the writer holds alone.
    const HoldStack stack = stack_holds(cache->holds);
    std::uint32_t most_readers = 0;
    bool writer_alone = false;
    for (const HolderCount& c : stack.counts) {
        if (!c.exclusive) most_readers = std::max(most_readers, c.holders);
        if (c.exclusive) writer_alone = c.holders == 1;
    }
    CHECK(most_readers >= 3);
    CHECK(writer_alone);
    std::vector<const HoldSpan*> writes;
    for (const HoldSpan& h : cache->holds)
        if (h.mode == LockMode::exclusive) writes.push_back(&h);
    REQUIRE(!writes.empty());
    for (const HoldSpan* w : writes)
        CHECK(w->task == refresher->id);

    // The writer waits for the readers to leave; a reader arriving meanwhile queues
    // behind it: its wait starts after the writer's began and ends only once the
    // writer has had the lock and released it.
    const LockQueue& q = cache->waiters;
    int writer_waits = 0, queued_behind = 0;
    for (const LockWait& w : q.waits()) {
        if (w.op != WaitOp::write) continue;
        ++writer_waits;
        CHECK(w.task == refresher->id);
        const HoldSpan* hold = nullptr;
        for (const HoldSpan* h : writes)
            if (h->start == w.end) hold = h;
        REQUIRE(hold);
        for (const LockWait& r : q.waits()) {
            if (r.op != WaitOp::read || r.start <= w.start || r.start >= w.end) continue;
            ++queued_behind;
            CHECK(r.end >= hold->end);
            CHECK(r.granted);
        }
        // While it waits, the queue counts it as a writer.
        CHECK(q.at(w.start).writers == 1);
    }
    CHECK(writer_waits >= 2);
    CHECK(queued_behind >= 2);
}
