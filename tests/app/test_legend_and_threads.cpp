// Legend flow (entries wrap onto new rows rather than past the edge) and thread life
// (an OS-thread lane after its thread ended is vacant, not a parked worker).
#include <catch2/catch.hpp>

#include "app_test_support.h"
#include "legend_flow.h"
#include "stage_model.h"
#include "thread_life.h"

using namespace spindle;
using namespace spindle::view;

TEST_CASE("legend flow: entries wrap before the right edge, never split", "[view][legend]") {
    const std::vector<double> widths{100, 100, 100, 250, 30};
    SECTION("wide enough: one row") {
        const auto places = flow_rows(widths, 1000, 10, 20);
        CHECK(flow_row_count(places) == 1);
        CHECK(places[3].x == Approx(10 + 3 * 120));
    }
    SECTION("narrow: a new row at the entry that would cross the edge") {
        const auto places = flow_rows(widths, 400, 10, 20);
        REQUIRE(places.size() == widths.size());
        CHECK(places[0].row == 0);
        CHECK(places[2].row == 0);  // 10 + 240 + 100 = 350 <= 390
        CHECK(places[3].row == 1);
        CHECK(places[3].x == Approx(10));
        CHECK(places[4].row == 1);
        CHECK(flow_row_count(places) == 2);
        for (std::size_t i = 0; i < places.size(); ++i)
            CHECK(places[i].x + widths[i] <= 390);
    }
    SECTION("an entry wider than a row gets a row of its own") {
        const auto places = flow_rows({50, 500, 50}, 300, 10, 10);
        CHECK(places[1].row == 1);
        CHECK(places[1].x == Approx(10));
        CHECK(places[2].row == 2);
    }
    CHECK(flow_row_count({}) == 1);
}

TEST_CASE("thread life: an OS-thread lane is vacant once its thread ended", "[view][threads]") {
    const RunModel& m = app_test::scenario_model("scoped_threads.lua");
    int thread_lanes = 0;
    for (const WorkerTrack& w : m.workers()) {
        if (w.role != WorkerRole::thread) {
            for (const Span& s : w.parked)
                CHECK_FALSE(is_vacancy(m, w, s));  // a parked core worker waits for work
            continue;
        }
        ++thread_lanes;
        const std::vector<Span> v = vacancies(m, w.id);
        REQUIRE(v.size() == 1);  // from its thread's end to the end of the run
        REQUIRE_FALSE(w.polls.empty());
        const TaskInfo* t = m.task(w.polls.back().task);
        REQUIRE(t);
        REQUIRE(t->ended);
        CHECK(v.front().start == *t->ended);
        CHECK(ended_before(m, w, v.front()) == t->id);
    }
    CHECK(thread_lanes == 3);
}

TEST_CASE("thread life: the Stage says an OS thread ended, not that its lane is free",
          "[view][threads][stage]") {
    const RunModel& m = app_test::scenario_model("scoped_threads.lua");
    const StageIndex index(m);
    int checked = 0;
    for (const WorkerTrack& w : m.workers()) {
        for (const PollSlice& p : w.polls) {  // while a thread runs, it has not ended
            if (p.end <= p.start) continue;
            const StageWorker sw = index.at(p.start + (p.end - p.start) / 2).workers[w.id];
            CHECK_FALSE(sw.ended);
        }
        if (w.role != WorkerRole::thread) continue;
        for (const Span& v : vacancies(m, w.id)) {
            const Time after = v.start + 1;
            const StageWorker sw = index.at(after).workers[w.id];  // a copy: at() is a temporary
            CHECK(sw.started);
            CHECK(sw.ended);
            CHECK(sw.running == 0);
            ++checked;
        }
    }
    CHECK(checked == 3);
    // A parked core worker waits for work: never "ended".
    for (const WorkerTrack& w : m.workers())
        if (w.role == WorkerRole::core)
            for (const Span& s : w.parked)
                CHECK_FALSE(index.at(s.start).workers[w.id].ended);
}

TEST_CASE("several waits of one task: a join's are told from a select's", "[view][join]") {
    RunModel m;
    lua::ScenarioOptions options;
    options.sinks.push_back(&m);
    lua::run_scenario_source(R"(local tx, rx = mpsc.channel(1, "feed")
spawn("feeder", function() sleep(2) tx:send(1) end)
join(function() sleep(5) end, function() return rx:recv() end)
select({ { recv = rx }, { sleep = 5 } })
)",
                             "t.lua", options);
    const TaskInfo* main = m.task(1);
    REQUIRE(main);
    int joins = 0, selects = 0;
    for (const TaskSpan& s : main->spans) {
        if (s.state != TaskState::waiting || s.select == 0) continue;
        CHECK(m.select_waits(s.select).size() == 2);
        (m.select_is_join(s.select) ? joins : selects) += 1;
        if (s.start < 1'000'000) CHECK(m.select_is_join(s.select));  // the join, at 0 ms
    }
    CHECK(joins >= 1);
    CHECK(selects >= 1);
    CHECK_FALSE(m.select_is_join(0));
}
