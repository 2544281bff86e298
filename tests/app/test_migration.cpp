// Migrations (app/view/migration.h): a poll on another core worker than the task's
// previous poll; never for OS-thread or blocking tasks, never across a blocking call.
#include <catch2/catch.hpp>

#include "app_test_support.h"
#include "migration.h"

using namespace spindle;
using namespace spindle::view;

TEST_CASE("migrations: the timeline's count agrees with the summary's, per task", "[migration]") {
    for (const char* name : {"work_stealing.lua", "worker_pool.lua", "crossbeam_pipeline.lua",
                             "blocking_recv_in_async.lua"}) {
        INFO(name);
        const RunModel& m = app_test::scenario_model(name);
        std::size_t total = 0;
        for (const TaskInfo& t : m.tasks()) {
            if (t.id == 0) continue;
            const RunSummary::Task* s = m.summary().task(t.id);
            REQUIRE(s);
            const std::size_t n = migration_count(m, t);
            CHECK(n == s->migrations);
            if (t.flavor != TaskFlavor::async) CHECK(n == 0);
            total += n;
        }
        if (std::string(name) == "work_stealing.lua") CHECK(total > 0);  // stolen tasks move
    }
}

TEST_CASE("migrations: a span names the worker it moved from", "[migration]") {
    const RunModel& m = app_test::scenario_model("work_stealing.lua");
    bool found = false;
    for (const TaskInfo& t : m.tasks())
        for (std::size_t i = 0; i < t.spans.size(); ++i) {
            const WorkerId from = migrated_from(m, t, i);
            if (from == kNoWorker) continue;
            found = true;
            CHECK(t.spans[i].state == TaskState::running);
            CHECK(from != t.spans[i].worker);
            CHECK(m.workers()[from].role == WorkerRole::core);
        }
    CHECK(found);
}
