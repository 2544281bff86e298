// Schedule strategies (fixed, random, pct, jitter), check(), and exploring many
// schedules: determinism, what each strategy may choose, outcome classes.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "explore.h"
#include "run_session.h"
#include "spindle/instrument/event_payloads.h"
#include "spindle/instrument/text_dump.h"
#include "spindle/instrument/trace_file.h"

using namespace spindle;
using session::RunRequest;
using session::RunStatus;
namespace fs = std::filesystem;

namespace {

fs::path scenario(const char* name) {
    return fs::path(SPINDLE_SOURCE_DIR) / "scenarios" / name;
}

RunRequest source(std::string text) {
    RunRequest r;
    r.source = RunRequest::Source::scenario_source;
    r.path = "explore_test.lua";
    r.text = std::move(text);
    return r;
}

/// Every event of a run, one text line each, and the report.
struct Dumped {
    std::vector<Event> events;
    std::vector<std::string> texts;
    std::string dump;
    session::RunReport report;
};

Dumped run(RunRequest request, Strategy strategy, std::uint64_t seed, std::uint32_t jitter = 0,
           std::uint32_t depth = 3) {
    struct Sink final : EventSink {
        Dumped* out;
        void on_event(const Event& e, std::string_view text) override {
            out->events.push_back(e);
            out->texts.emplace_back(text);
            out->dump += format_event(e, text) + "\n";
        }
    } sink;
    Dumped d;
    sink.out = &d;
    request.overrides.strategy = strategy;
    request.overrides.seed = seed;
    request.overrides.pct_depth = depth;
    if (jitter) request.overrides.jitter_pct = jitter;
    session::SessionOptions o;
    o.build_model = false;
    o.sinks = {&sink};
    d.report = session::run_session(request, o).report;
    return d;
}

/// Tasks that each yield a few times on one worker: every poll is a choice.
const char* kYielders = R"(
scenario{ workers = 1 }
for t = 1, 4 do
  spawn("t" .. t, function()
    for i = 1, 3 do yield_now() end
  end)
end
)";

/// The order in which tasks other than main were polled.
std::vector<TaskId> poll_order(const Dumped& d) {
    std::vector<TaskId> order;
    for (const Event& e : d.events)
        if (e.kind == EventKind::poll_start && e.task != 1) order.push_back(e.task);
    return order;
}

}  // namespace

TEST_CASE("strategies: the same settings and seed give the same events, byte for byte",
          "[explore]") {
    for (Strategy s : {Strategy::fixed, Strategy::random, Strategy::pct}) {
        INFO(to_string(s));
        const Dumped a = run(source(kYielders), s, 7, 30);
        const Dumped b = run(source(kYielders), s, 7, 30);
        CHECK(a.report.status == RunStatus::completed);
        CHECK(a.dump == b.dump);
    }
    // The strategy is part of the run's recorded settings; fixed says nothing new.
    CHECK(run(source(kYielders), Strategy::random, 1).texts.front().find("strategy=random") !=
          std::string::npos);
    CHECK(run(source(kYielders), Strategy::fixed, 1).texts.front().find("strategy") ==
          std::string::npos);
}

TEST_CASE("strategies: fixed keeps FIFO order, random and pct explore other orders", "[explore]") {
    // Fixed: the last task spawned sits in the LIFO slot and goes first, then the
    // queue in order; each yield goes to the back, so the tasks take turns.
    const auto fixed = poll_order(run(source(kYielders), Strategy::fixed, 1));
    REQUIRE(fixed.size() == 16);
    CHECK(std::vector<TaskId>(fixed.begin(), fixed.begin() + 8) ==
          std::vector<TaskId>{5, 2, 3, 4, 5, 2, 3, 4});
    std::set<std::vector<TaskId>> random_orders, pct_orders;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        random_orders.insert(poll_order(run(source(kYielders), Strategy::random, seed)));
        pct_orders.insert(poll_order(run(source(kYielders), Strategy::pct, seed)));
    }
    CHECK(random_orders.size() >= 15);
    CHECK(pct_orders.size() >= 5);
    // Every order is still a schedule of the same polls: 4 per task.
    for (const auto& order : random_orders) {
        std::map<TaskId, int> polls;
        for (TaskId t : order)
            ++polls[t];
        for (const auto& [t, n] : polls)
            CHECK(n == 4);
    }
}

TEST_CASE("strategies: pct with depth 1 runs the highest-priority task until it ends",
          "[explore]") {
    // No priority changes: a task that yields stays the highest runnable one, so each
    // task's polls come in one unbroken run.
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        const auto order = poll_order(run(source(kYielders), Strategy::pct, seed, 0, 1));
        REQUIRE(order.size() == 16);
        for (std::size_t i = 0; i < order.size(); i += 4)
            CHECK(std::set<TaskId>(order.begin() + static_cast<long>(i),
                                   order.begin() + static_cast<long>(i) + 4)
                      .size() == 1);
    }
}

TEST_CASE("strategies: jitter varies each poll's cost within its bound", "[explore]") {
    const Dumped d = run(source(kYielders), Strategy::fixed, 3, 50);
    std::map<WorkerId, std::int64_t> started;
    std::set<std::int64_t> lengths;
    for (const Event& e : d.events) {
        if (e.kind == EventKind::poll_start) started[e.worker] = e.time_ns;
        if (e.kind == EventKind::poll_end) lengths.insert(e.time_ns - started[e.worker]);
    }
    REQUIRE_FALSE(lengths.empty());
    CHECK(lengths.size() > 3);         // they vary
    CHECK(*lengths.begin() >= 1000);   // 2 us -50 %
    CHECK(*lengths.rbegin() <= 3000);  // 2 us +50 %
    // Without jitter every poll of these tasks costs exactly the poll cost.
    const Dumped flat = run(source(kYielders), Strategy::fixed, 3);
    started.clear();
    lengths.clear();
    for (const Event& e : flat.events) {
        if (e.kind == EventKind::poll_start) started[e.worker] = e.time_ns;
        if (e.kind == EventKind::poll_end) lengths.insert(e.time_ns - started[e.worker]);
    }
    CHECK(lengths == std::set<std::int64_t>{2000});
}

TEST_CASE("check(): a failed check is recorded, the run goes on and ends check_failed",
          "[explore]") {
    const Dumped d = run(source(R"lua(
local ok = check(1 + 1 == 2, "arithmetic")
print("first", ok)
local bad = check(false, "total == 3 (got " .. 2 .. ")")
print("after", bad)
check(nil)
)lua"),
                         Strategy::fixed, 1);
    CHECK(d.report.status == RunStatus::check_failed);
    CHECK(d.report.exit_code() == 1);
    REQUIRE(d.report.checks.size() == 2);
    CHECK(d.report.checks[0] == "explore_test.lua:4: total == 3 (got 2)");
    CHECK(d.report.checks[1] == "explore_test.lua:6: check failed");
    CHECK(d.dump.find("msg=\"first\\ttrue\"") != std::string::npos);
    CHECK(d.dump.find("msg=\"after\\tfalse\"") != std::string::npos);  // it went on
    CHECK(d.dump.find("log kind=check_failed msg=\"explore_test.lua:4: total == 3 (got 2)\"") !=
          std::string::npos);
    CHECK(d.dump.find("run_end outcome=check_failed") != std::string::npos);
    CHECK(d.report.diagnostics().find("check failed: explore_test.lua:4: total == 3 (got 2)") !=
          std::string::npos);
    // A failed task outranks a failed check.
    const Dumped worse = run(source("check(false, 'x')\nerror('boom')\n"), Strategy::fixed, 1);
    CHECK(worse.report.status == RunStatus::failed);
}

TEST_CASE("check(): a trace of the run reports the failed checks too", "[explore]") {
    const fs::path dir = fs::temp_directory_path() / "spindle-explore-tests";
    fs::create_directories(dir);
    const fs::path trace = dir / "check.spt";
    {
        TraceWriter writer(trace);
        RunRequest r = source("check(false, 'kept in the trace')\n");
        session::SessionOptions o;
        o.sinks = {&writer};
        session::run_session(r, o);
        REQUIRE(writer.ok());
    }
    RunRequest read;
    read.path = trace;
    const session::Session s = session::run_session(read);
    CHECK(s.report.status == RunStatus::check_failed);
    REQUIRE(s.report.checks.size() == 1);
    CHECK(s.report.checks[0] == "explore_test.lua:1: kept in the trace");
    CHECK(s.summary().checks() == s.report.checks);
}

TEST_CASE("normalise_message: addresses and times, not the values that matter", "[explore]") {
    CHECK(session::normalise_message("balance == 200 (got 100)") == "balance == 200 (got 100)");
    CHECK(session::normalise_message("bad table: 0x55d0c3a0f2b0 here") == "bad table: 0x… here");
    CHECK(session::normalise_message("late by 3.25 ms, then 12 us") == "late by N ms, then N us");
}

TEST_CASE("normalise_message and split_location read as the regexes that defined them",
          "[explore]") {
    // They were std::regex, which races on a locale cache when explore's jobs call it
    // from several threads; the hand-written scans must give what the regexes gave.
    const std::regex address(R"(0x[0-9a-fA-F]+)");
    const std::regex duration(R"(\b\d+(\.\d+)?\s?(ns|µs|us|ms|s)\b)");
    const std::regex at(R"(^([^\s:][^:]*):(\d+): )");
    const std::vector<std::string> texts = {"",
                                            "x",
                                            "0x",
                                            "0x1",
                                            "0xg5ms",
                                            "10x5",
                                            "a0xFFz",
                                            "0x1f5ms",
                                            "5ms",
                                            "5 ms",
                                            "5  ms",
                                            "5\tus",
                                            "1.25ms",
                                            "1.ms",
                                            "1.5.5s",
                                            "x5ms",
                                            "_5ms",
                                            "5msx",
                                            "5 sec",
                                            "5 s.",
                                            "3µs",
                                            "3 µs!",
                                            "12ns,4us;7ms 9s",
                                            "late by 3.25 ms, then 12 us",
                                            "v2s",
                                            "2s2s",
                                            "2s 2s",
                                            "bad table: 0x55d0c3a0f2b0 here",
                                            "s.lua:12: attempt to index a nil value (5 ms)",
                                            "s.lua:12:no space",
                                            "s.lua:: x",
                                            ":3: x",
                                            " s.lua:3: x",
                                            "s.lua:3: ",
                                            "a b:7: c:9: d",
                                            "C:\\x:1: y",
                                            "no location here",
                                            "s.lua:3x: y",
                                            "s.lua:003: y\nsecond: 4: z"};
    for (const std::string& text : texts) {
        INFO("text: " << text);
        const std::string expected =
            std::regex_replace(std::regex_replace(text, address, "0x…"), duration, "N $2");
        CHECK(session::normalise_message(text) == expected);
        std::smatch m;
        const auto [location, rest] = session::split_location(text);
        if (std::regex_search(text, m, at)) {
            CHECK(location == m[1].str() + ":" + m[2].str());
            CHECK(rest == text.substr(static_cast<std::size_t>(m.length(0))));
        } else {
            CHECK(location.empty());
            CHECK(rest == text);
        }
    }
}

TEST_CASE("explore: lost_update splits into completed and a failed check, whatever the jobs",
          "[explore]") {
    session::ExploreRequest request;
    request.run.path = scenario("lost_update.lua");
    request.run.overrides.strategy = Strategy::random;
    request.runs = 60;
    request.jobs = 1;
    const session::ExploreResult one = session::explore(request);
    request.jobs = 3;
    std::uint64_t last_done = 0;
    bool monotonic_total = true;
    std::mutex progress_mutex;  // progress comes from every job's thread
    const session::ExploreResult three =
        session::explore(request, [&](std::uint64_t done, std::uint64_t total, std::size_t) {
            std::lock_guard lock(progress_mutex);
            monotonic_total = monotonic_total && total == 60;
            last_done = std::max(last_done, done);
        });
    REQUIRE(one.error.empty());
    CHECK(one.runs == 60);
    CHECK(one.base_seed == 1);  // the scenario's seed
    CHECK(last_done == 60);
    CHECK(monotonic_total);
    REQUIRE(one.classes.size() == 2);
    REQUIRE(three.classes.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(one.classes[i].label == three.classes[i].label);
        CHECK(one.classes[i].count == three.classes[i].count);
        CHECK(one.classes[i].first_seed == three.classes[i].first_seed);
        CHECK(one.classes[i].shortest_seed == three.classes[i].shortest_seed);
    }
    const session::OutcomeClass* failing = nullptr;
    for (const auto& k : one.classes)
        if (k.status == RunStatus::check_failed) failing = &k;
    REQUIRE(failing);
    CHECK(failing->label == "check failed: balance == 200 (got 100)");
    CHECK(failing->location.find("lost_update.lua:") != std::string::npos);
    CHECK(one.classes[0].count + one.classes[1].count == 60);
    CHECK(session::exit_code(one) == 1);

    // The replay command's settings reproduce the class.
    RunRequest replay;
    replay.path = request.run.path;
    replay.overrides.strategy = Strategy::random;
    replay.overrides.seed = failing->shortest_seed;
    CHECK(session::run_session(replay).report.status == RunStatus::check_failed);
    CHECK(session::replay_command(request, one, failing->shortest_seed) ==
          "spindle-run --strategy random --seed " + std::to_string(failing->shortest_seed) + " " +
              request.run.path.string());

    const auto json = nlohmann::json::parse(session::to_json(request, one));
    CHECK(json["runs"] == 60);
    CHECK(json["strategy"] == "random");
    CHECK(json["classes"].size() == 2);
    CHECK(json["exit_code"] == 1);
    for (const auto& k : json["classes"])
        for (const char* key :
             {"outcome", "count", "share", "first_seed", "shortest_seed", "replay"})
            CHECK(k.contains(key));
}

TEST_CASE("explore: the fixed twin has one class, and a broken script stops it", "[explore]") {
    session::ExploreRequest request;
    request.run.path = scenario("lost_update_fixed.lua");
    request.run.overrides.strategy = Strategy::pct;
    request.runs = 40;
    const session::ExploreResult r = session::explore(request);
    REQUIRE(r.classes.size() == 1);
    CHECK(r.classes[0].label == "completed");
    CHECK(r.config.pct_steps > 1);  // measured from a first run
    CHECK(session::exit_code(r) == 0);

    session::ExploreRequest broken;
    broken.run = source("this is not lua");
    broken.runs = 10;
    const session::ExploreResult b = session::explore(broken);
    CHECK_FALSE(b.error.empty());
    CHECK(session::exit_code(b) == 1);
    CHECK(b.classes.empty());
}

TEST_CASE("explore: each racy scenario fails in some schedules, its fixed twin in none",
          "[explore]") {
    struct Case {
        const char* racy;
        const char* fixed;
        const char* label;  ///< the start of the failing class's label
    };
    const Case cases[] = {
        {"lost_update.lua", "lost_update_fixed.lua", "check failed: balance == 200 (got 100)"},
        {"lock_order_sometimes.lua", "lock_order_sometimes_fixed.lua",
         "deadlock: transfer a->b \u21C4 transfer b->a over account a, account b"},
        {"lost_wakeup.lua", "lost_wakeup_fixed.lua",
         "deadlock: waiter waits in notified on ready, which nothing can wake"},
        {"message_order.lua", "message_order_fixed.lua",
         "check failed: the account is opened before the deposit (got 'B: first deposit' first)"},
    };
    for (const Case& c : cases) {
        INFO(c.racy);
        for (Strategy s : {Strategy::random, Strategy::pct}) {
            INFO(to_string(s));
            session::ExploreRequest racy;
            racy.run.path = scenario(c.racy);
            racy.run.overrides.strategy = s;
            racy.runs = 100;
            const session::ExploreResult r = session::explore(racy);
            std::set<std::string> labels;
            for (const auto& k : r.classes)
                labels.insert(k.label);
            CHECK(labels == std::set<std::string>{"completed", c.label});
            session::ExploreRequest fixed = racy;
            fixed.run.path = scenario(c.fixed);
            const session::ExploreResult f = session::explore(fixed);
            REQUIRE(f.classes.size() == 1);
            CHECK(f.classes[0].label == "completed");
        }
        // The fixed strategy never meets the bug: every seed gives the same schedule shape.
        session::ExploreRequest plain;
        plain.run.path = scenario(c.racy);
        plain.run.overrides.strategy = Strategy::fixed;
        plain.runs = 20;
        const session::ExploreResult p = session::explore(plain);
        REQUIRE(p.classes.size() == 1);
        CHECK(p.classes[0].label == "completed");
    }
}

TEST_CASE("explore: a hanging scenario's every run ends at its own wall-clock budget",
          "[explore][budget]") {
    // No instruction budget: only each job's watchdog, reused run after run, stops it.
    for (unsigned jobs : {1u, 2u}) {
        INFO("jobs " << jobs);
        session::ExploreRequest request;
        request.run = source("scenario{}\nwhile true do end\n");
        request.run.budgets.instructions_per_poll = 0;
        request.run.budgets.wall_clock = std::chrono::milliseconds(100);
        request.run.overrides.strategy = Strategy::random;
        request.runs = 4;
        request.jobs = jobs;
        const auto t0 = std::chrono::steady_clock::now();
        const session::ExploreResult r = session::explore(request);
        const auto wall = std::chrono::steady_clock::now() - t0;
        REQUIRE(r.error.empty());
        CHECK(r.runs == 4);
        REQUIRE(r.classes.size() == 1);
        CHECK(r.classes[0].status == RunStatus::budget_exceeded);
        CHECK(r.classes[0].example == "the wall-clock budget of 100 ms is spent");
        CHECK(r.classes[0].count == 4);
        // The probe and the 4 runs each spent their whole budget, none was cut short
        // by the run before it on the same watchdog.
        CHECK(wall >= std::chrono::milliseconds(100) * (1 + 4 / jobs));
        CHECK(wall < std::chrono::seconds(10));
    }
}

TEST_CASE("explore: a class's shortest run, replayed alone, has the same events",
          "[explore][determinism]") {
    for (const char* name : {"lost_update.lua", "lock_order_sometimes.lua", "message_order.lua"}) {
        INFO(name);
        session::ExploreRequest request;
        request.run.path = scenario(name);
        request.run.overrides.strategy = Strategy::pct;
        request.runs = 40;
        request.jobs = 2;
        const session::ExploreResult r = session::explore(request);
        REQUIRE_FALSE(r.classes.empty());
        for (const session::OutcomeClass& k : r.classes) {
            INFO(k.label);
            RunRequest alone;
            alone.path = request.run.path;
            alone.overrides.strategy = Strategy::pct;
            alone.overrides.pct_steps = r.config.pct_steps;
            alone.overrides.seed = k.shortest_seed;
            const session::Session s = session::run_session(alone);
            CHECK(s.report.status == k.status);
            CHECK(s.report.events == k.shortest_events);
        }
    }
}
