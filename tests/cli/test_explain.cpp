// spindle-run --explain TASK: the chain of causes, the breakdown and the critical path
// as text (golden files), the error for a task that is not there, and the breakdown
// every task carries in --summary-json.
#include <catch2/catch.hpp>

#include "../support/command_runner.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

const fs::path kSource = SPINDLE_SOURCE_DIR;

test_support::Output run(const std::string& args) {
    return test_support::run_command(std::string("'") + SPINDLE_RUN_PATH + "' " + args,
                                     test_support::temp_dir("spindle-explain-test-"));
}

std::string scenario(const std::string& name) {
    return "'" + (kSource / "scenarios" / name).string() + "'";
}

/// Compares `text` with tests/golden/NAME (rewrites it when SPINDLE_UPDATE_GOLDEN is set).
void check_golden(const std::string& name, const std::string& text) {
    const fs::path golden = kSource / "tests" / "golden" / name;
    if (std::getenv("SPINDLE_UPDATE_GOLDEN")) std::ofstream(golden, std::ios::binary) << text;
    const std::string expected = test_support::slurp(golden);
    REQUIRE_FALSE(expected.empty());
    CHECK(text == expected);
}

}  // namespace

TEST_CASE(
    "explain: spindle-run --explain prints the chain, the breakdown and the critical path (golden)",
    "[cli][explain]") {
    const auto o = run("-q --explain producer " + scenario("worker_pool.lua"));
    REQUIRE(o.code == 0);
    CHECK(o.out.find("producer waited ") != std::string::npos);
    CHECK(o.out.find("the buffer was full (4 of 4); woken by worker ") != std::string::npos);
    check_golden("worker_pool.explain.txt", o.out);

    const auto s = run("-q --explain '#2' " + scenario("select_race.lua"));
    REQUIRE(s.code == 0);
    CHECK(s.out.find("backend (#2)") != std::string::npos);
    check_golden("select_race.explain.txt", s.out);
}

TEST_CASE("explain: a task given to --explain that is not in the run is a usage error",
          "[cli][explain]") {
    const auto o = run("-q --explain nobody " + scenario("worker_pool.lua"));
    CHECK(o.code == 2);
    CHECK(o.err.find("no task named 'nobody'") != std::string::npos);
    CHECK(o.out.find("Critical path") == std::string::npos);
    CHECK(run("-q --explain '#99' " + scenario("worker_pool.lua")).code == 2);
}

TEST_CASE("explain: --summary-json carries every task's breakdown", "[cli][explain]") {
    const auto o = run("-q --summary-json - " + scenario("worker_pool.lua"));
    REQUIRE(o.code == 0);
    const auto j = nlohmann::json::parse(o.out);
    REQUIRE(j["tasks"].size() > 1);
    for (const auto& t : j["tasks"]) {
        INFO(t["name"]);
        REQUIRE(t.contains("breakdown"));
        const auto& b = t["breakdown"];
        for (const char* key :
             {"running_ms", "queued_idle_worker_ms", "queued_all_busy_ms", "waiting_ms"})
            CHECK(b[key].is_number());
        REQUIRE(b["waits"].is_array());
        double waits = 0;
        for (const auto& w : b["waits"]) {
            CHECK(w["ms"].is_number());
            CHECK(w["name"].is_string());
            CHECK(w.contains("op"));
            CHECK(w.contains("id"));
            waits += w["ms"].get<double>();
        }
        CHECK(waits == Approx(b["waiting_ms"].get<double>()));
        // The parts add up to the task's life.
        const double life = t["end_ms"].get<double>() - t["spawn_ms"].get<double>();
        CHECK(b["running_ms"].get<double>() + b["queued_idle_worker_ms"].get<double>() +
                  b["queued_all_busy_ms"].get<double>() + b["waiting_ms"].get<double>() ==
              Approx(life).margin(1e-6));
    }
    bool producer_waits_on_jobs = false;
    for (const auto& t : j["tasks"])
        if (t["name"] == "producer")
            for (const auto& w : t["breakdown"]["waits"])
                producer_waits_on_jobs =
                    producer_waits_on_jobs || (w["name"] == "jobs" && w["op"] == "send");
    CHECK(producer_waits_on_jobs);
}
