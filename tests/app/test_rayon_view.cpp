// Rayon pools as the viewer sees them (scenarios/rayon_sum.lua, rayon_in_async.lua):
// each pool's threads get lanes of their own, in a RAYON POOLS section, the work spreads
// over them by stealing, every piece of the iterator is a job named by its range, and a
// Rayon call from async code is flagged in the run's hints.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "app_test_support.h"
#include "lane_plan.h"

using namespace spindle;
using namespace spindle::view;

TEST_CASE("rayon_sum: four pool threads share the work by stealing", "[rayon]") {
    const RunModel& m = app_test::scenario_model("rayon_sum.lua");
    REQUIRE(m.run().outcome == RunOutcome::completed);
    std::vector<const WorkerTrack*> pool;
    for (const WorkerTrack& w : m.workers())
        if (w.role == WorkerRole::rayon) pool.push_back(&w);
    REQUIRE(pool.size() == 4);
    const ResourceTrack* r = m.resource(pool.front()->pool);
    REQUIRE(r);
    CHECK(r->kind == ResourceKind::rayon_pool);
    CHECK(r->name == "rayon");
    std::size_t steals = 0;
    for (const WorkerTrack* w : pool) {
        CHECK(w->pool == pool.front()->pool);
        REQUIRE_FALSE(w->polls.empty());
        steals += w->steals.size();
        // Balanced: every thread works until close to the end of the run.
        Time busy = 0;
        for (const PollSlice& p : w->polls)
            busy += p.end - p.start;
        CHECK(busy > m.end_time() * 8 / 10);
    }
    CHECK(steals >= 3);  // each idle thread stole its first piece
    std::size_t jobs = 0;
    for (const TaskInfo& t : m.tasks()) {
        if (t.flavor != TaskFlavor::rayon) continue;
        ++jobs;
        CHECK(t.name.rfind("sum ", 0) == 0);
        CHECK(t.name.find("..") != std::string::npos);
    }
    CHECK(jobs > 8);  // split beyond one piece per thread
    const RunSummary& s = m.summary();
    CHECK(s.checks().empty());
    REQUIRE(s.hints().size() == 1);  // the async main blocked on the sum
    CHECK(s.hints()[0].find("'main'") != std::string::npos);
}

TEST_CASE("rayon lanes come after the other threads, pool by pool", "[rayon]") {
    const RunModel& m = app_test::scenario_model("rayon_sum.lua");
    const LanePlan plan = plan_lanes(m);
    std::size_t first_rayon = plan.lanes.size(), last_worker = 0, rayon = 0;
    for (std::size_t i = 0; i < plan.lanes.size(); ++i) {
        const PlannedLane& l = plan.lanes[i];
        if (l.kind == PlannedLane::Kind::rayon) {
            CHECK(l.section == PlannedLane::Section::rayon);
            CHECK(m.workers()[l.id].role == WorkerRole::rayon);
            first_rayon = std::min(first_rayon, i);
            ++rayon;
        }
        if (l.kind == PlannedLane::Kind::worker) last_worker = i;
    }
    CHECK(rayon == 4);
    CHECK(last_worker < first_rayon);
}

TEST_CASE("rayon_in_async: par_iter in async code starves the heartbeat, spawn_blocking does not",
          "[rayon]") {
    const RunModel& m = app_test::scenario_model("rayon_in_async.lua");
    REQUIRE(m.run().outcome == RunOutcome::completed);
    const RunSummary& s = m.summary();
    // Only the two handlers of phase 1 held their workers.
    REQUIRE(s.hints().size() == 2);
    for (const std::string& h : s.hints()) {
        CHECK(h.find("(fixed)") == std::string::npos);
        CHECK(h.find("join on 'sum 1..4000'") != std::string::npos);
    }
    const TaskInfo* heartbeat = app_test::task_named(m, "heartbeat");
    REQUIRE(heartbeat);
    // The heartbeat's longest wait in a run queue: long in phase 1, short in phase 2.
    const TaskInfo* fixed = app_test::task_named(m, "handler 1 (fixed)");
    REQUIRE(fixed);
    const Time phase2 = fixed->spawned;
    Time worst1 = 0, worst2 = 0;
    for (const TaskSpan& sp : heartbeat->spans) {
        if (sp.state != TaskState::queued || sp.end < 0) continue;
        (sp.start < phase2 ? worst1 : worst2) =
            std::max(sp.start < phase2 ? worst1 : worst2, sp.end - sp.start);
    }
    CHECK(worst1 > 2'000'000);  // ms of delay behind the held workers
    CHECK(worst2 < 100'000);
}
