// The scenario host itself: tasks, waits, select, timeout, scenario{} placement,
// the sandbox, determinism replacements, budgets, and the runtime's garbage
// collection before it calls a run stuck.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "lua_test_support.h"
#include "spindle/instrument/recorder.h"
#include "spindle/instrument/text_dump.h"
#include "spindle/lua/scenario.h"

using spindle::RunOutcome;

using namespace lua_test;

TEST_CASE("spawn, join, results and failures", "[lua][host]") {
    const LuaRun run = run_lua(R"(
local h = spawn("adder", function(a, b) sleep(1) return a + b, "sum" end, 2, 3)
print(h:name(), h:id(), h:is_finished())
print(h:join())
print(h:is_finished())
local bad = spawn(function() error("boom") end)
print(bad:join())
)");
    CHECK(run.lines == Lines{"adder\t2\tfalse", "true\t5\tsum", "true", "false\ttest.lua:6: boom"});
    CHECK(run.result.outcome == RunOutcome::failed);  // a task failed; the run went on
    CHECK(run.result.errors == std::vector<std::string>{"test.lua:6: boom"});
}

TEST_CASE("abort cancels a waiting task and runs its <close> variables", "[lua][host]") {
    CHECK(lines_of(R"(
local m = mutex("m")
local h = spawn("holder", function()
  local g <close> = m:lock()
  sleep(1000)
end)
sleep(1)
print(m:is_locked())
h:abort()
print(h:join())
print(m:is_locked())
)") == Lines{"true", "false\taborted", "false"});
}

TEST_CASE("aborting a task inside timeout() runs the function's <close> variables too",
          "[lua][host]") {
    CHECK(lines_of(R"(
local m = mutex("m")
local h = spawn("holder", function()
  timeout(100, function()
    local g <close> = m:lock()
    sleep(50)
  end)
end)
sleep(10)
print(m:is_locked())
h:abort()
sleep(1)
print(m:is_locked())
)") == Lines{"true", "false"});
}

TEST_CASE("the run ends when every task ended, time, work and yield", "[lua][host]") {
    LuaRun run = run_lua(R"(
spawn(function() sleep(10) print("late", now()) end)
local t0 = now()
work(2)
yield_now()
print("main done", now() - t0 >= 2)
)");
    CHECK(run.result.outcome == RunOutcome::completed);
    REQUIRE(run.lines.size() == 2);
    CHECK(run.lines[0] == "main done\ttrue");
    INFO(run.lines[1]);
    REQUIRE(run.lines[1].rfind("late\t", 0) == 0);
    // The spawned task sat in main's LIFO slot until main's 2 ms of work ended.
    CHECK(std::stod(run.lines[1].substr(5)) >= 12.0);
    CHECK(run.result.duration.count() >= 10'000'000);
}

TEST_CASE("select returns the winner's index and results, losers have no effect", "[lua][host]") {
    CHECK(lines_of(R"(
local tx, rx = mpsc.channel(1)
print(select({ { recv = rx }, { sleep = 2 } }))
tx:send("x")
print(select({ { recv = rx }, { sleep = 2 } }))
local full_tx, full_rx = mpsc.channel(1)
full_tx:send(1)
print(select({ { send = full_tx, value = 2 }, { sleep = 1 } }))
print(full_rx:len(), full_rx:recv(), full_rx:try_recv())
print(select('#', 1, 2, 3), select(2, "a", "b"))
)") == Lines{"2", "1\tx", "2", "1\t1\tnil\tempty", "3\tb"});
}

TEST_CASE("select reads its entries raw: no script code runs while it builds them", "[lua][host]") {
    CHECK(lines_of(R"(
local tx, rx = mpsc.channel(1)
tx:send("hi")
local trap = { __index = function() error("an entry's __index ran") end }
print(select({ setmetatable({ recv = rx }, trap) }, setmetatable({}, trap)))
)") == Lines{"1\thi"});
}

TEST_CASE("select reports malformed branches at the script's line", "[lua][host]") {
    expect_error("select({})", 1, "needs at least one branch");
    expect_error("\nselect({ { recv = 1 } })", 2, "cannot 'recv' on a number");
    expect_error("select({ { sleep = -1 } })", 1, "sleep needs a duration");
    expect_error("local tx, rx = mpsc.channel(1)\nselect({ { send = tx } })", 2, "non-nil 'value'");
    expect_error("select({ { bogus = 1 } })", 1, "names no operation");
}

TEST_CASE("timeout returns the results in time, or false and runs <close> on expiry",
          "[lua][host]") {
    CHECK(lines_of(R"(
print(timeout(10, function(x) sleep(1) return x * 2 end, 21))
local closed = false
print(timeout(1, function()
  local c <close> = setmetatable({}, { __close = function() closed = true end })
  sleep(5)
end))
print(closed)
print(timeout(5, function() return timeout(1, function() sleep(3) end) end))
)") == Lines{"true\t42", "false\ttimeout", "true", "true\tfalse\ttimeout"});
}

TEST_CASE("a waiting call inside the script's own coroutine raises clearly", "[lua][host]") {
    CHECK(lines_of(R"(
local co = coroutine.wrap(function() sleep(1) end)
local ok, err = pcall(co)
print(ok, err:match("cannot be made inside the script's own coroutine") ~= nil)
)") == Lines{"false\ttrue"});
    expect_error("spawn(function()\n  coroutine.yield()\nend)", 2, "outside a coroutine");
    // A wait that could not yield (inside gsub's callback) leaves nothing for a
    // later bare coroutine.yield() to perform.
    expect_error(R"(print(pcall(string.gsub, "a", "a", function() sleep(5) end))
coroutine.yield()
)",
                 2, "outside a coroutine");
}

TEST_CASE("scenario{} must come first and only once", "[lua][host]") {
    LuaRun ok = run_lua("scenario{ workers = 3, seed = 9, name = 'x' }\nprint('hi')");
    CHECK(ok.result.exit_code() == 0);
    CHECK(ok.result.config.workers == 3);
    CHECK(ok.result.config.seed == 9);
    CHECK(ok.result.name == "x");
    expect_error("local tx, rx = mpsc.channel(1)\nscenario{ workers = 2 }", 2, "must come before");
    expect_error("scenario{}\nscenario{}", 2, "only once");
    LuaRun bad = run_lua("scenario{ workers = 0 }");
    CHECK(bad.result.status == ScenarioResult::Status::bad_settings);
    CHECK(bad.result.exit_code() == 1);
}

TEST_CASE("every forbidden capability is absent", "[lua][host][sandbox]") {
    CHECK(lines_of(R"(
print(io, os, package, require, dofile, loadfile, string.dump, debug.getinfo, debug.sethook)
print(type(debug.traceback))
print(load("\27Lua"))
print(pcall(string.format, "%p", {}))
print(pcall(collectgarbage, "count"))
print(pcall(math.randomseed, 1))
print(load("return print")() == print)
)") == Lines{"nil\tnil\tnil\tnil\tnil\tnil\tnil\tnil\tnil", "function",
             "nil\tattempt to load a binary chunk (mode is 't')",
             "false\tstring.format: '%p' is not available in scenarios (addresses differ between "
             "runs)",
             "false\tcollectgarbage('count') is not available in scenarios",
             "false\tmath.randomseed is not available: the run's seed (scenario{seed=} or --seed) "
             "drives every random choice",
             "true"});
}

TEST_CASE("a __gc finalizer is refused: Lua runs it where no budget reaches",
          "[lua][host][sandbox]") {
    // Lua switches its hooks off while a finalizer runs, so this one would hang the run.
    expect_error(R"(local t = {}
setmetatable(t, { __gc = function() while true do end end })
)",
                 2, "__gc finalizers are not available in scenarios");
    // Everything else setmetatable does still works, protection included.
    CHECK(lines_of(R"(local t = {}
print(setmetatable(t, { __index = { x = 7 } }) == t, t.x)
setmetatable(t, { __metatable = "locked" })
print(getmetatable(t), pcall(setmetatable, t, {}))
print(setmetatable({}, nil) ~= nil)
)") == Lines{"true\t7", "locked\tfalse\tcannot change a protected metatable", "true"});
}

TEST_CASE("pairs, tostring and format are deterministic", "[lua][host][determinism]") {
    const std::string script = R"(
local t = {}
for i = 1, 50 do t["key" .. i] = i; t[i * 7] = i end
local order = {}
for k in pairs(t) do order[#order + 1] = tostring(k) end
print(table.concat(order, ","))
print(tostring({}), string.format("%s", {}), next({ b = 1, a = 2 }))
print(rand(0) ~= nil, rand(1, 6) <= 6)
)";
    const LuaRun a = run_lua(script);
    const LuaRun b = run_lua(script);
    REQUIRE(a.lines.size() == 3);
    CHECK(a.lines[0].rfind("7,14,21", 0) == 0);  // numbers first, in order
    CHECK(a.lines[1] == "table: #1\ttable: #2\ta\t2");
    CHECK(a.dump == b.dump);  // each run has its own Lua state and string-hash seed
}

TEST_CASE("budgets: endless loop, memory bomb and deep recursion stop with clear errors",
          "[lua][host][budget]") {
    spindle::lua::Budgets small;
    small.instructions_per_poll = 200'000;
    LuaRun loop = run_lua("spawn('spin', function()\n  while true do end\nend)", small);
    CHECK(loop.result.exit_code() == 1);
    REQUIRE_FALSE(loop.result.errors.empty());
    CHECK(loop.result.errors[0].rfind("test.lua:2: instruction budget exceeded", 0) == 0);

    spindle::lua::Budgets heap;
    heap.heap_bytes = 16u << 20;
    LuaRun bomb = run_lua("local t = {}\nfor i = 1, 1e9 do t[i] = ('x'):rep(64) .. i end", heap);
    CHECK(bomb.result.outcome == RunOutcome::budget_exceeded);
    CHECK(bomb.result.exit_code() == 4);
    CHECK(bomb.result.budget_reason.find("out of memory") != std::string::npos);

    LuaRun deep = run_lua("local function f(n) return f(n + 1) + 1 end\nf(1)");
    CHECK(deep.result.exit_code() == 1);
    REQUIRE_FALSE(deep.result.errors.empty());
    CHECK(deep.result.errors[0].find("stack overflow") != std::string::npos);
}

TEST_CASE("a long run of immediate sends yields like tokio's coop budget", "[lua][host]") {
    spindle::lua::Budgets small;
    small.instructions_per_poll = 50'000;
    LuaRun run = run_lua(R"(
local tx, rx = mpsc.unbounded("u")
for i = 1, 20000 do tx:send(i) end
print(rx:len())
)",
                         small);
    CHECK(run.result.exit_code() == 0);
    CHECK(run.lines == Lines{"20000"});
}

TEST_CASE("a sender only a finished task held is collected before a deadlock is called",
          "[lua][host]") {
    LuaRun run = run_lua(R"(
local rx
do
  local tx
  tx, rx = mpsc.channel(1, "forgotten")
  spawn("producer", function() tx:send(1) end)   -- never drops tx
end
print(rx:recv(), rx:recv())
)");
    CHECK(run.result.outcome == RunOutcome::completed);
    CHECK(run.lines == Lines{"1\tnil"});
    // A sender still referenced keeps the channel open: a real deadlock, with the hint.
    LuaRun stuck = run_lua("tx, rx = mpsc.channel(1, 'held')\nrx:recv()");
    CHECK(stuck.result.outcome == RunOutcome::deadlock);
    CHECK(stuck.result.exit_code() == 3);
    REQUIRE(stuck.result.deadlock);
    CHECK(stuck.result.deadlock->to_text().find("1 sender still alive") != std::string::npos);
}
