// Prepared scenarios (compiled once, run many times) and one watchdog reused by
// runs made one after another: what an exploration's job does thousands of times.
#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>
#include <string>

#include "spindle/instrument/text_dump.h"
#include "spindle/lua/scenario.h"

using namespace spindle;
using lua::ScenarioResult;
using Clock = std::chrono::steady_clock;

namespace {

struct Ran {
    ScenarioResult result;
    std::string dump;
    Clock::duration wall{};
};

Ran run_prepared(const lua::PreparedScenario& p, lua::Budgets budgets = {},
                 lua::Watchdog* watchdog = nullptr, std::uint64_t seed = 1) {
    std::ostringstream text;
    TextDump dump(text);
    lua::ScenarioOptions o;
    o.budgets = budgets;
    o.sinks = {&dump};
    o.watchdog = watchdog;
    o.overrides.seed = seed;
    o.overrides.strategy = Strategy::random;
    Ran r;
    const auto t0 = Clock::now();
    r.result = lua::run_prepared(p, o);
    r.wall = Clock::now() - t0;
    r.dump = text.str();
    return r;
}

Ran run_alone(const std::string& source, std::uint64_t seed) {
    std::ostringstream text;
    TextDump dump(text);
    lua::ScenarioOptions o;
    o.sinks = {&dump};
    o.overrides.seed = seed;
    o.overrides.strategy = Strategy::random;
    Ran r;
    r.result = lua::run_scenario_source(source, "prepared.lua", o);
    r.dump = text.str();
    return r;
}

const char* kRacy = R"(
scenario{ name = "racy", workers = 2 }
local total = 0
local m = mutex("m")
for i = 1, 3 do
  spawn("t" .. i, function()
    local v = total
    yield_now()
    local g <close> = m:lock()
    total = v + 1
  end)
end
)";

}  // namespace

TEST_CASE("prepared: settings read once, and each run equals the same run made alone",
          "[lua][prepared][determinism]") {
    const lua::PreparedScenario p = lua::prepare_scenario(kRacy, "prepared.lua", {});
    REQUIRE(p.compile_error.empty());
    CHECK(p.settings_error.empty());
    CHECK(p.settings_found);
    CHECK(p.settings.name == std::optional<std::string>("racy"));
    CHECK(p.settings.workers == std::optional<int>(2));
    CHECK_FALSE(p.bytecode.empty());
    const auto watchdog = lua::make_watchdog();
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        INFO("seed " << seed);
        const Ran alone = run_alone(kRacy, seed);
        const Ran shared = run_prepared(p, {}, watchdog.get(), seed);
        const Ran own = run_prepared(p, {}, nullptr, seed);
        CHECK(alone.result.outcome == RunOutcome::completed);
        CHECK(alone.result.name == "racy");
        CHECK(shared.result.name == "racy");
        CHECK(alone.dump == shared.dump);
        CHECK(alone.dump == own.dump);
    }
}

TEST_CASE("prepared: a run's errors still say file:line, and bytecode stays refused",
          "[lua][prepared][sandbox]") {
    const lua::PreparedScenario p =
        lua::prepare_scenario("scenario{}\nlocal t = nil\nprint(t.x)\n", "dir/prepared.lua", {});
    const Ran r = run_prepared(p);
    CHECK(r.result.outcome == RunOutcome::failed);
    REQUIRE(r.result.errors.size() == 1);
    CHECK(r.result.errors[0].rfind("dir/prepared.lua:3: ", 0) == 0);
    REQUIRE(r.result.tracebacks.size() == 1);
    CHECK(r.result.tracebacks[0].find("dir/prepared.lua:3") != std::string::npos);

    // A script handing in bytecode, as its file or through load(), is refused.
    const lua::PreparedScenario binary = lua::prepare_scenario(p.bytecode, "dir/prepared.lua", {});
    CHECK(binary.bytecode.empty());
    CHECK(binary.compile_error.find("precompiled (bytecode)") != std::string::npos);
    CHECK(run_prepared(binary).result.status == ScenarioResult::Status::compile_error);
    const lua::PreparedScenario loader = lua::prepare_scenario(
        "local ok, err = load(string.char(27) .. 'Lua')\nprint(ok, err)\n", "loader.lua", {});
    const Ran l = run_prepared(loader);
    CHECK(l.result.outcome == RunOutcome::completed);
    CHECK(l.dump.find("attempt to load a binary chunk") != std::string::npos);

    // A compile error is reported by every run, as from the file.
    const lua::PreparedScenario broken = lua::prepare_scenario("this is not lua", "b.lua", {});
    CHECK(broken.bytecode.empty());
    const Ran b = run_prepared(broken);
    CHECK(b.result.status == ScenarioResult::Status::compile_error);
    REQUIRE(b.result.errors.size() == 1);
    CHECK(b.result.errors[0].rfind("b.lua:1: ", 0) == 0);
}

TEST_CASE("prepared: one watchdog ends each hanging run at its own wall-clock budget",
          "[lua][prepared][budget]") {
    // No instruction budget: only the watchdog's hook can stop this loop.
    lua::Budgets budgets;
    budgets.instructions_per_poll = 0;
    budgets.wall_clock = std::chrono::milliseconds(150);
    const lua::PreparedScenario hang =
        lua::prepare_scenario("scenario{}\nwhile true do end\n", "hang.lua", budgets);
    REQUIRE(hang.compile_error.empty());
    const auto watchdog = lua::make_watchdog();
    for (int i = 0; i < 3; ++i) {
        INFO("run " << i);
        const Ran r = run_prepared(hang, budgets, watchdog.get());
        CHECK(r.result.outcome == RunOutcome::budget_exceeded);
        CHECK(r.result.budget_reason == "the wall-clock budget of 150 ms is spent");
        // Its own budget: not cut short by the previous run's firing.
        CHECK(r.wall >= std::chrono::milliseconds(150));
        CHECK(r.wall < std::chrono::seconds(5));
    }
    // After those, a run that finishes in time is not stopped by what fired before.
    const lua::PreparedScenario quick =
        lua::prepare_scenario("scenario{}\nsleep(10)\nprint('done')\n", "quick.lua", budgets);
    const Ran q = run_prepared(quick, budgets, watchdog.get());
    CHECK(q.result.outcome == RunOutcome::completed);
    CHECK(q.dump.find("done") != std::string::npos);
}

TEST_CASE("prepared: the API's Lua-written parts run alike when loaded from the process's copy",
          "[lua][prepared]") {
    // Every Lua-written part in one script; a panic in a rayon.join closure is re-raised
    // through [spindle rayon], whose traceback must keep its line numbers.
    const lua::PreparedScenario p = lua::prepare_scenario(R"(scenario{ workers = 2 }
local set = join_set()
set:spawn("a", function() sleep(1) return 1 end)
print("joined", set:join_next())
local m = dashmap.new("m")
m:insert("k", 2)
print("dashmap", m:get("k"))
local tx, rx = crossbeam.bounded(1)
print("timeout", rx:recv_timeout(1))
print("scope", thread.scope(function(s) return s:spawn(function() return 3 end):join() end))
local ls = local_set("ls")
print("local", ls:spawn_local("l", function() return 4 end):join())
print("sum", rayon.par_iter({1, 2, 3}):sum())
rayon.join(function() error("boom") end, function() return 5 end)
)",
                                                          "parts.lua", {});
    REQUIRE(p.compile_error.empty());
    const Ran first = run_prepared(p);
    const Ran second = run_prepared(p);  // loads every part from the process's bytecode
    for (const Ran* r : {&first, &second}) {
        CHECK(r->result.outcome == RunOutcome::failed);
        for (const char* line : {"joined", "dashmap", "timeout", "scope", "local", "sum"})
            CHECK(r->dump.find(line) != std::string::npos);
        REQUIRE(r->result.errors.size() == 1);
        CHECK(r->result.errors[0].rfind("parts.lua:14: ", 0) == 0);
        REQUIRE_FALSE(r->result.tracebacks.empty());
        INFO(r->result.tracebacks[0]);
        CHECK(r->result.tracebacks[0].find("[spindle rayon]:") != std::string::npos);
        CHECK(r->result.tracebacks[0].find("[spindle rayon]:?") == std::string::npos);
    }
    CHECK(first.dump == second.dump);
    CHECK(first.result.tracebacks == second.result.tracebacks);
}
