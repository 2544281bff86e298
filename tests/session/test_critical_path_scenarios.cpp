// The critical path on every shipped scenario: for the task that ends last it covers
// the run from its start to that task's end, segment after segment, with no gap or
// overlap; every task's own breakdown adds up to its life.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include "critical_path.h"
#include "run_session.h"

using namespace spindle;
namespace fs = std::filesystem;

TEST_CASE("critical path: on every shipped scenario it covers the run to the last task's end",
          "[critical_path]") {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fs::path(SPINDLE_SOURCE_DIR) / "scenarios"))
        if (entry.path().extension() == ".lua") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 12);
    for (const fs::path& file : files) {
        INFO(file.filename().string());
        session::RunRequest request;
        request.source = session::RunRequest::Source::scenario_file;
        request.path = file;
        const session::Session run = session::run_session(request);
        REQUIRE(run.model);
        const view::RunModel& m = *run.model;
        const view::WorkerIdle idle(m);
        // The task that ends last (a task alive at the end ends with the run).
        TaskId last = 0;
        view::Time last_end = -1;
        for (const view::TaskInfo& t : m.tasks()) {
            const view::Time end = t.ended.value_or(m.end_time());
            if (t.id != 0 && end > last_end) {
                last = t.id;
                last_end = end;
            }
        }
        REQUIRE(last != 0);
        const auto path = view::critical_path(m, idle, last);
        REQUIRE_FALSE(path.empty());
        CHECK(path.front().start == 0);
        CHECK(path.back().end == last_end);
        CHECK(path.back().task == last);
        std::size_t gaps = 0, empty = 0;
        for (std::size_t i = 0; i < path.size(); ++i) {
            if (path[i].end <= path[i].start) ++empty;
            if (i > 0 && path[i - 1].end != path[i].start) ++gaps;
        }
        CHECK(gaps == 0);
        CHECK(empty == 0);
        CHECK(view::breakdown(path).total() == last_end);
        // Every task's own breakdown adds up to its life.
        std::size_t wrong = 0;
        for (const view::TaskInfo& t : m.tasks()) {
            if (t.id == 0) continue;
            const view::Time life = t.ended.value_or(m.end_time()) - t.spawned;
            if (view::breakdown(view::task_segments(m, idle, t.id)).total() != life) ++wrong;
        }
        CHECK(wrong == 0);
    }
}
