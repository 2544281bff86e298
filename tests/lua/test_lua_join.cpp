// join / try_join: tokio's join! and try_join! — functions run concurrently inside
// the calling task (no task is spawned), results in argument order.
#include <catch2/catch.hpp>

#include <string>

#include "lua_test_support.h"

using namespace lua_test;

namespace {

/// How many tasks the run spawned (task_spawn lines of its text dump).
int spawned_tasks(const std::string& dump) {
    int n = 0;
    for (std::size_t at = dump.find(" task_spawn "); at != std::string::npos;
         at = dump.find(" task_spawn ", at + 1))
        ++n;
    return n;
}

}  // namespace

TEST_CASE("join: the functions wait concurrently inside one task", "[lua][join]") {
    LuaRun run = run_lua(R"(local t0 = now()
local a, b = join(function() sleep(10) return "a" end, function() sleep(10) return "b" end)
print(a, b, now() - t0 < 11)
)");
    CHECK(run.result.outcome == spindle::RunOutcome::completed);
    CHECK(run.lines == Lines{"a\tb\ttrue"});
    CHECK(spawned_tasks(run.dump) == 1);  // main only
}

TEST_CASE("join: results come in argument order, not finishing order", "[lua][join]") {
    const Lines lines = lines_of(R"(local log = {}
local a, b, c = join(
  function() log[#log + 1] = "a1" sleep(3) log[#log + 1] = "a2" return "slow" end,
  function() log[#log + 1] = "b1" sleep(1) log[#log + 1] = "b2" return "fast" end,
  function() return end)
print(a, b, c)
print(table.concat(log, " "))
print(join())
)");
    CHECK(lines == Lines{"slow\tfast\tnil", "a1 b1 b2 a2", ""});
}

TEST_CASE("join: one function can wait for another (a channel between them)", "[lua][join]") {
    const Lines lines = lines_of(R"(local tx, rx = mpsc.channel(1)
local got, sent = join(function()
  local t = {}
  for _ = 1, 3 do t[#t + 1] = rx:recv() end
  return table.concat(t, ",")
end, function()
  for i = 1, 3 do tx:send(i) end
  return "sent"
end)
print(got, sent)
local r = select({ { recv = rx, name = "x" }, { sleep = 1 } })
print(r)
local x, y = join(function() yield_now() return 1 end, function()
  return select({ { sleep = 5 }, { sleep = 2 } })
end)
print(x, y)
)");
    CHECK(lines == Lines{"1,2,3\tsent", "2", "1\t2"});
}

TEST_CASE("join: CPU work in a function holds the whole task (no other function runs)",
          "[lua][join]") {
    const Lines lines = lines_of(R"(local t0 = now()
join(function() work(5) end, function() work(5) end)
print(now() - t0 >= 10)
)");
    CHECK(lines == Lines{"true"});
}

TEST_CASE("join: an error in a function fails the task with its file:line and traceback",
          "[lua][join]") {
    const std::string source = R"(local function inner() error("broken branch") end
join(function() sleep(1) end, function()
  sleep(2)
  inner()
end)
)";
    expect_error(source, 1, "broken branch");
    LuaRun run = run_lua(source);
    REQUIRE(run.result.tracebacks.size() == 1);
    const std::string& tb = run.result.tracebacks.front();
    INFO(tb);
    CHECK(tb.find("test.lua:4") != std::string::npos);  // the branch's own frames
    CHECK(tb.find("test.lua:2") != std::string::npos);  // the join call in the task
}

TEST_CASE("try_join: true and the values when every function succeeds", "[lua][join]") {
    const Lines lines = lines_of(R"(print(try_join(function() sleep(2) return true, "x" end,
                            function() sleep(1) return true, 2 end))
print(try_join())
)");
    CHECK(lines == Lines{"true\tx\t2", "true"});
}

TEST_CASE("try_join: the first failure cancels the rest and is returned", "[lua][join]") {
    const Lines lines = lines_of(R"(local t0 = now()
local m = mutex("m")
local held = m:lock()
local ok, err = try_join(
  function()
    local _ <close> = setmetatable({}, { __close = function() print("slow closed") end })
    sleep(100)
    print("slow finished")
    return true, 1
  end,
  function() sleep(5) return false, "no route" end,
  function() local g = m:lock() print("got lock") return true, g end)
print(ok, err, now() - t0 < 6)
held:drop()
local g = m:lock()
print("main relocked", now() - t0 < 100)
)");
    CHECK(lines == Lines{"slow closed", "false\tno route\ttrue", "main relocked\ttrue"});
}

TEST_CASE("try_join: a function that returns no ok flag is an error at its definition",
          "[lua][join]") {
    expect_error(R"(sleep(1)
try_join(function() return true end,
  function() return 42 end)
)",
                 3, "true, value or false, err");
}

TEST_CASE("join: timeout and nested joins are refused inside a function", "[lua][join]") {
    expect_error(R"(join(function()
  timeout(5, function() end)
end)
)",
                 2, "inside a join");
    expect_error(R"(join(function()
  join(function() end)
end)
)",
                 2, "inside a join");
}

TEST_CASE("join: an outer timeout or an abort drops every function", "[lua][join]") {
    const Lines lines = lines_of(R"(local function closing(tag)
  return setmetatable({}, { __close = function() print(tag .. " closed") end })
end
print(timeout(5, function()
  return join(function() local _ <close> = closing("a") sleep(100) end,
              function() sleep(1) return "b" end)
end))
local h = spawn(function()
  join(function() local _ <close> = closing("c") sleep(100) end)
end)
sleep(1)
h:abort()
print(h:join())
)");
    CHECK(lines == Lines{"a closed", "false\ttimeout", "c closed", "false\taborted"});
}
