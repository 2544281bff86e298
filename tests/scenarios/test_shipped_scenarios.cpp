// Every shipped scenario runs with its expected outcome, twice with the same
// result; the three headline scenarios match their golden text dumps.
//
// To refresh the goldens after an intended change of behaviour:
//   SPINDLE_UPDATE_GOLDEN=1 ./build/tests/spindle_scenario_tests
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "spindle/instrument/event_bounds.h"
#include "spindle/instrument/recorder.h"
#include "spindle/instrument/run_summary.h"
#include "spindle/instrument/text_dump.h"
#include "spindle/lua/scenario.h"

using namespace spindle;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = SPINDLE_SOURCE_DIR;

struct Run {
    lua::ScenarioResult result;
    std::string dump;
    std::vector<std::string> prints;
    std::string out_of_bounds;  ///< the first event EventBounds rejected, if any
};

/// Runs every event through EventBounds: the trace reader's checks must accept
/// whatever a real run writes.
struct BoundsSink final : EventSink {
    EventBounds bounds;
    std::string first_rejection;
    void on_event(const Event& e, std::string_view) override {
        if (auto bad = bounds.check(e); bad && first_rejection.empty())
            first_rejection = "event " + std::to_string(e.seq) + ": " + *bad;
    }
};

Run run(const std::string& name) {
    Run r;
    std::ostringstream out;
    TextDump dump(out, TextDumpOptions{false});
    Recorder rec;
    BoundsSink bounds;
    lua::ScenarioOptions o;
    o.path = kSource / "scenarios" / name;
    o.sinks = {&dump, &rec, &bounds};
    r.result = lua::run_scenario(o);
    r.out_of_bounds = bounds.first_rejection;
    r.dump = out.str();
    for (const Event& e : rec.events())
        if (e.kind == EventKind::log) r.prints.emplace_back(rec.text(e.text));
    return r;
}

bool contains(const std::vector<std::string>& lines, const std::string& needle) {
    for (const auto& l : lines)
        if (l.find(needle) != std::string::npos) return true;
    return false;
}

void check_golden(const std::string& scenario, const std::string& dump) {
    const fs::path golden = kSource / "tests" / "golden" / (scenario + ".events.txt");
    if (std::getenv("SPINDLE_UPDATE_GOLDEN")) {
        std::ofstream(golden, std::ios::binary) << dump;
        WARN("updated " << golden.string());
        return;
    }
    std::ifstream in(golden, std::ios::binary);
    REQUIRE(in.good());
    std::stringstream want;
    want << in.rdbuf();
    if (want.str() != dump) {
        // Show the first differing line rather than two huge strings.
        std::istringstream a(want.str()), b(dump);
        std::string la, lb;
        int line = 0;
        while (true) {
            const bool ga = static_cast<bool>(std::getline(a, la));
            const bool gb = static_cast<bool>(std::getline(b, lb));
            ++line;
            if (!ga && !gb) break;
            if (la != lb || ga != gb) {
                INFO(scenario << " differs from its golden dump at line " << line);
                CHECK(la == lb);
                break;
            }
        }
    }
    CHECK(want.str() == dump);
}

}  // namespace

TEST_CASE("every shipped scenario is covered by this test", "[scenarios]") {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(kSource / "scenarios"))
        if (e.path().extension() == ".lua") files.push_back(e.path().filename().string());
    std::sort(files.begin(), files.end());
    CHECK(files == std::vector<std::string>{"backpressure.lua",
                                            "blocking.lua",
                                            "blocking_recv_in_async.lua",
                                            "broadcast_bus.lua",
                                            "config_reload.lua",
                                            "crossbeam_pipeline.lua",
                                            "dashmap_deadlock.lua",
                                            "dashmap_vs_rwlock.lua",
                                            "deadlock.lua",
                                            "graceful_shutdown.lua",
                                            "join_set.lua",
                                            "lifo_slot.lua",
                                            "lock_order_sometimes.lua",
                                            "lock_order_sometimes_fixed.lua",
                                            "lost_update.lua",
                                            "lost_update_fixed.lua",
                                            "lost_wakeup.lua",
                                            "lost_wakeup_fixed.lua",
                                            "message_order.lua",
                                            "message_order_fixed.lua",
                                            "oneshot_request.lua",
                                            "rayon_in_async.lua",
                                            "rayon_scope.lua",
                                            "rayon_sum.lua",
                                            "rwlock_cache.lua",
                                            "scoped_threads.lua",
                                            "select_race.lua",
                                            "send_vs_local.lua",
                                            "work_stealing.lua",
                                            "worker_pool.lua"});
}

TEST_CASE("shipped scenarios run to their expected outcome, deterministically", "[scenarios]") {
    const std::string name = GENERATE(
        as<std::string>{}, "backpressure.lua", "blocking.lua", "broadcast_bus.lua",
        "config_reload.lua", "graceful_shutdown.lua", "lifo_slot.lua", "lock_order_sometimes.lua",
        "lock_order_sometimes_fixed.lua", "lost_update.lua", "lost_update_fixed.lua",
        "lost_wakeup.lua", "lost_wakeup_fixed.lua", "message_order.lua", "message_order_fixed.lua",
        "oneshot_request.lua", "rwlock_cache.lua", "select_race.lua", "work_stealing.lua",
        "worker_pool.lua", "scoped_threads.lua", "crossbeam_pipeline.lua",
        "blocking_recv_in_async.lua", "join_set.lua", "rayon_sum.lua", "rayon_in_async.lua",
        "send_vs_local.lua", "dashmap_vs_rwlock.lua", "rayon_scope.lua");
    INFO(name);
    const Run a = run(name);
    for (const auto& e : a.result.errors)
        UNSCOPED_INFO(e);
    CHECK(a.result.status == lua::ScenarioResult::Status::ran);
    CHECK(a.result.outcome == RunOutcome::completed);
    CHECK(a.result.exit_code() == 0);
    CHECK(a.result.errors.empty());
    CHECK_FALSE(a.prints.empty());
    CHECK(a.out_of_bounds.empty());
    const Run b = run(name);
    CHECK(a.dump == b.dump);
}

TEST_CASE("deadlock.lua ends in a detected deadlock naming both locks", "[scenarios]") {
    const Run r = run("deadlock.lua");
    CHECK(r.out_of_bounds.empty());
    CHECK(r.result.outcome == RunOutcome::deadlock);
    CHECK(r.result.exit_code() == 3);
    REQUIRE(r.result.deadlock);
    CHECK(r.result.deadlock->cycle.size() == 2);
    const std::string text = r.result.deadlock->to_text();
    CHECK(text.find("account a") != std::string::npos);
    CHECK(text.find("account b") != std::string::npos);
    CHECK(text.find("cycle") != std::string::npos);
}

TEST_CASE("dashmap_deadlock.lua deadlocks on one shard, named in the report", "[scenarios]") {
    const Run r = run("dashmap_deadlock.lua");
    CHECK(r.out_of_bounds.empty());
    CHECK(r.result.outcome == RunOutcome::deadlock);
    CHECK(r.result.exit_code() == 3);
    REQUIRE(r.result.deadlock);
    const std::string text = r.result.deadlock->to_text();
    CHECK(text.find("sessions shard") != std::string::npos);
    CHECK(text.find("cycle: task 2 'refresher' -> task 2 'refresher'") != std::string::npos);
    CHECK(r.dump.find("holds_worker=true") != std::string::npos);
}

TEST_CASE("scenario behaviour: what each one is meant to show", "[scenarios]") {
    SECTION("worker_pool sums every job and applies backpressure") {
        const Run r = run("worker_pool.lua");
        CHECK(contains(r.prints, "24 results, sum of squares 4900"));
        RunSummary s;
        Recorder rec;
        lua::ScenarioOptions o;
        o.path = kSource / "scenarios" / "worker_pool.lua";
        o.sinks = {&s};
        lua::run_scenario(o);
        bool jobs_full = false;
        for (const auto& c : s.channels())
            if (c.name == "jobs") jobs_full = c.max_len == 4 && c.time_full_ns > 0;
        CHECK(jobs_full);
    }
    SECTION("broadcast_bus: the slow subscriber lags, nobody loses count") {
        const Run r = run("broadcast_bus.lua");
        CHECK(contains(r.prints, "lagged: skipped"));
        CHECK(contains(r.prints, "both accounted for every event: fast 20, slow 20"));
    }
    SECTION("select_race: some requests time out, some are answered") {
        const Run r = run("select_race.lua");
        CHECK(contains(r.prints, "timed out"));
        CHECK(contains(r.prints, ": response "));
    }
    SECTION("lifo_slot: a busy waker holds the woken task; yield_now and spawn_blocking free it") {
        const Run r = run("lifo_slot.lua");
        CHECK(contains(r.prints, "round 1: 8."));  // four hand-offs of about 2 ms each
        CHECK(contains(r.prints, "round 2: 0.0"));
        CHECK(contains(r.prints, "round 3: 0.0"));
        // Each send of round 1 wakes the consumer into the producer's LIFO slot.
        std::size_t lifo = 0;
        for (std::size_t at = r.dump.find("t2 task_scheduled place=lifo"); at != std::string::npos;
             at = r.dump.find("t2 task_scheduled place=lifo", at + 1))
            ++lifo;
        CHECK(lifo >= 5);  // its spawn, then the four sends of round 1
    }
    SECTION("scoped_threads: the scope returns the sum after its threads, holding its worker") {
        const Run r = run("scoped_threads.lua");
        CHECK(contains(r.prints, "total\t78"));
        CHECK(r.dump.find("holds_worker") != std::string::npos);
    }
    SECTION(
        "rayon_scope: every directory's job ends before the scope returns, shared by stealing") {
        const Run r = run("rayon_scope.lua");
        CHECK(contains(r.prints, "indexed 304 files in "));
        CHECK(r.dump.find("check_failed") == std::string::npos);
        // A job per directory: the four top-level ones and the nine below them.
        std::size_t jobs = 0;
        for (std::size_t at = r.dump.find("flavor=rayon name=\"index "); at != std::string::npos;
             at = r.dump.find("flavor=rayon name=\"index ", at + 1))
            ++jobs;
        CHECK(jobs == 13);
        CHECK(r.dump.find("worker_steal") != std::string::npos);
        // Three threads on 6 ms of indexing: well under the sequential time.
        double took = 0;
        for (const auto& line : r.prints)
            if (line.rfind("indexed 304 files in ", 0) == 0) took = std::stod(line.substr(21));
        CHECK(took > 2.0);
        CHECK(took < 3.0);
    }
    SECTION("crossbeam_pipeline: every job once, shared by the three worker threads") {
        const Run r = run("crossbeam_pipeline.lua");
        CHECK(contains(r.prints, "results\t24\tsum of squares\t4900"));
        for (int w = 1; w <= 3; ++w)
            CHECK_FALSE(contains(r.prints, "worker " + std::to_string(w) + " took 0 jobs"));
    }
    SECTION("join_set: results in finishing order, the rest aborted") {
        const Run r = run("join_set.lua");
        CHECK(contains(r.prints, "got page 5 (2 ms)"));
        CHECK(contains(r.prints, "got page 4 (5 ms)"));
        CHECK_FALSE(contains(r.prints, "got page 6"));
        CHECK(contains(r.prints, "cancelled:\taborted"));
    }
    SECTION("blocking_recv_in_async: a blocked worker doubles the ticks' time") {
        const Run r = run("blocking_recv_in_async.lua");
        CHECK(contains(r.prints, "ticks finished within 4."));
        CHECK(contains(r.prints, "ticks finished within 2."));
    }
    SECTION("dashmap_vs_rwlock: the global lock queues deep, the shards barely, and it is slower") {
        RunSummary s;
        lua::ScenarioOptions o;
        o.path = kSource / "scenarios" / "dashmap_vs_rwlock.lua";
        o.sinks = {&s};
        lua::run_scenario(o);
        std::uint32_t global_waiters = 0, shard_waiters = 0;
        std::uint64_t global_acq = 0, shard_acq = 0;
        int shards = 0;
        for (const auto& res : s.resources()) {
            if (res.name == "global table") {
                global_waiters = res.max_waiters;
                global_acq = res.acquisitions;
            } else if (res.name.rfind("sessions shard ", 0) == 0) {
                ++shards;
                shard_waiters = std::max(shard_waiters, res.max_waiters);
                shard_acq += res.acquisitions;
            }
        }
        CHECK(shards == 8);
        // The same accesses in both phases, plus the 32 inserts filling the map.
        CHECK(shard_acq == global_acq + 32);
        CHECK(global_waiters >= 6);  // most of the eight tasks in one line
        CHECK(shard_waiters <= 2);
        CHECK(global_waiters >= 3 * shard_waiters);
        // The phases' durations, as printed: the sharded map takes under half the time.
        const Run r = run("dashmap_vs_rwlock.lua");
        double global_ms = 0, sharded_ms = 0;
        for (const auto& line : r.prints) {
            if (line.rfind("global rwlock: ", 0) == 0) global_ms = std::stod(line.substr(15));
            if (line.rfind("dashmap, 8 shards: ", 0) == 0) sharded_ms = std::stod(line.substr(19));
        }
        CHECK(sharded_ms > 0);
        CHECK(global_ms > 2 * sharded_ms);
    }
    SECTION("blocking: work on the async worker delays ticks, spawn_blocking does not") {
        const Run r = run("blocking.lua");
        CHECK(contains(r.prints, "in async: worst tick delay 20."));
        CHECK(contains(r.prints, "spawn_blocking: worst tick delay 0.0"));
    }
}

TEST_CASE("headline scenarios match their golden text dumps", "[scenarios][golden]") {
    const std::string name =
        GENERATE(as<std::string>{}, "worker_pool", "broadcast_bus", "select_race");
    INFO(name);
    check_golden(name, run(name + ".lua").dump);
}
