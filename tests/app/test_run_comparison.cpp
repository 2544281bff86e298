// compare_runs / describe: what differs between two runs of a shipped scenario
// under two schedules (one that breaks it, one that does not).
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "run_comparison.h"
#include "spindle/lua/scenario.h"

using namespace spindle;
using view::RunModel;

namespace {

std::unique_ptr<RunModel> run(const std::string& name, std::uint64_t seed) {
    auto model = std::make_unique<RunModel>();
    lua::ScenarioOptions options;
    options.path = std::string(SPINDLE_SOURCE_DIR) + "/scenarios/" + name;
    options.overrides.strategy = Strategy::random;
    options.overrides.seed = seed;
    options.sinks.push_back(model.get());
    lua::run_scenario(options);
    return model;
}

/// The first seed (from 1) whose run of `name` ends with `outcome`.
std::unique_ptr<RunModel> first_with(const std::string& name, RunOutcome outcome) {
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        auto m = run(name, seed);
        if (m->run().outcome == outcome) return m;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("run comparison: a run against itself differs in nothing", "[app][compare]") {
    const auto m = run("lost_update.lua", 3);
    const view::RunComparison c = view::compare_runs(*m, *m);
    CHECK(c.tasks.empty());
    CHECK(c.same_tasks == m->tasks().size());
    CHECK(c.outcome[0] == c.outcome[1]);
    const auto lines = view::describe(c, {"completed", "completed"});
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] == "Every task did the same in both.");
}

TEST_CASE("run comparison: a deadlocked schedule against one that completes", "[app][compare]") {
    const auto stuck = first_with("lock_order_sometimes.lua", RunOutcome::deadlock);
    const auto fine = first_with("lock_order_sometimes.lua", RunOutcome::completed);
    REQUIRE(stuck);
    REQUIRE(fine);
    const view::RunComparison c = view::compare_runs(*stuck, *fine);
    CHECK(c.outcome[0] == RunOutcome::deadlock);
    CHECK(c.outcome[1] == RunOutcome::completed);
    CHECK(c.end[0] == stuck->end_time());
    CHECK(c.end[1] == fine->end_time());
    // Both transfers (and main, joining them) never end in the deadlock: their
    // endings differ, so they come first, each saying what it still waits on.
    REQUIRE(c.tasks.size() >= 2);
    for (const auto& d : c.tasks) {
        INFO(d.name);
        CHECK(d.side[0].present);
        CHECK(d.side[1].present);
    }
    const view::TaskDifference* ab = nullptr;
    for (const auto& d : c.tasks)
        if (d.name == "transfer a->b") ab = &d;
    REQUIRE(ab);
    CHECK(ab->ending_differs());
    CHECK_FALSE(ab->side[0].ended);
    CHECK(ab->side[1].ended);
    CHECK(ab->side[1].outcome == TaskOutcome::completed);
    CHECK(ab->side[0].waiting_on == "lock on 'account b'");
    CHECK(ab->side[1].waiting_on.empty());
    CHECK(c.tasks.front().ending_differs());
    CHECK(c.tasks.size() + c.same_tasks == stuck->tasks().size());

    const auto lines = view::describe(c, {"deadlock", "completed"});
    REQUIRE(lines.size() >= 3);
    CHECK(lines[0].rfind("Top: deadlock, ended at ", 0) == 0);
    CHECK(lines[0].find("Bottom: completed, ended at ") != std::string::npos);
    bool ab_line = false;
    for (const auto& l : lines)
        if (l.rfind("transfer a->b — top: still waiting (lock on 'account b') at ", 0) == 0 &&
            l.find("; bottom: completed at ") != std::string::npos)
            ab_line = true;
    CHECK(ab_line);
    // At most max_tasks task lines, then how many more.
    const auto one = view::describe(c, {"deadlock", "completed"}, 1);
    CHECK(one[2] == "and " + std::to_string(c.tasks.size() - 1) + " more tasks that differ");
}

TEST_CASE("run comparison: a lost update against a schedule that keeps both deposits",
          "[app][compare]") {
    const auto lost = first_with("lost_update.lua", RunOutcome::check_failed);
    const auto kept = first_with("lost_update.lua", RunOutcome::completed);
    REQUIRE(lost);
    REQUIRE(kept);
    const view::RunComparison c = view::compare_runs(*lost, *kept);
    CHECK(c.outcome[0] == RunOutcome::check_failed);
    CHECK(c.outcome[1] == RunOutcome::completed);
    // Every task ends in both (a failed check ends no task): only times and waits differ.
    REQUIRE_FALSE(c.tasks.empty());
    for (const auto& d : c.tasks) {
        INFO(d.name);
        CHECK_FALSE(d.ending_differs());
        CHECK((d.side[0].ended != d.side[1].ended || d.side[0].waited != d.side[1].waited));
    }
}
