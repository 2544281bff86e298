// send_vs_local.lua as the viewer and the summary see it: Send tasks migrate between
// workers and share them; tasks on a LocalSet stay on one worker and take longer.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "app_test_support.h"
#include "migration.h"

using namespace spindle;
using namespace spindle::view;

TEST_CASE("send_vs_local: Send tasks migrate, local tasks stay on the set's worker",
          "[local_set]") {
    const RunModel& m = app_test::scenario_model("send_vs_local.lua");
    REQUIRE(m.run().outcome == RunOutcome::completed);
    std::size_t send_migrations = 0, local_tasks = 0;
    std::set<WorkerId> send_workers, local_workers;
    Time send_end = 0, local_start = -1, local_end = 0;
    for (const TaskInfo& t : m.tasks()) {
        if (t.id == 0) continue;
        const bool local = t.name.rfind("local ", 0) == 0;
        const bool send = t.name.rfind("send ", 0) == 0;
        if (!local && !send) continue;
        const RunSummary::Task* s = m.summary().task(t.id);
        REQUIRE(s);
        CHECK(s->migrations == migration_count(m, t));
        for (const TaskSpan& sp : t.spans)
            if (sp.state == TaskState::running) (local ? local_workers : send_workers).insert(sp.worker);
        if (local) {
            ++local_tasks;
            CHECK(t.flavor == TaskFlavor::local);
            CHECK(s->migrations == 0);
            if (local_start < 0) local_start = t.spawned;
            local_end = std::max(local_end, *t.ended);
        } else {
            CHECK(t.flavor == TaskFlavor::async);
            send_migrations += s->migrations;
            send_end = std::max(send_end, *t.ended);
        }
    }
    CHECK(local_tasks == 8);
    CHECK(send_migrations > 0);
    CHECK(send_workers.size() == 4);
    CHECK(local_workers.size() == 1);
    // No stealing, no parallelism: phase 2 takes several times phase 1.
    CHECK(local_end - local_start > 2 * send_end);
}
