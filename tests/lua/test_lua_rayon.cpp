// Scenario API: Rayon (rayon.pool / join / scope / par_iter) as scripts use it — results and
// their order, sums equal to the sequential sum for every pool size and seed, panics
// raised in the caller at the script's line, pools, and the blocking a call from
// async code or an OS thread is.
#include <catch2/catch.hpp>

#include <string>

#include "lua_test_support.h"

using namespace lua_test;

TEST_CASE("rayon.join runs both closures and returns their results in order", "[lua][rayon]") {
    const Lines lines = lines_of(R"(local a, b = rayon.join(function() work(1) return "left" end,
                         function() work(1) return "right" end)
print(a, b, now() < 1.5)  -- both ran at once, on two threads
local x, y = rayon.join(function() return 1, 2 end, function() return nil end)
print(x, y)
print(rayon.current_num_threads())
)");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "left\tright\ttrue");
    CHECK(lines[1] == "1\tnil");
    CHECK(lines[2] == "4");  // the global pool: the runtime's worker count
}

TEST_CASE("rayon.par_iter: every terminal operation, for every pool size and seed",
          "[lua][rayon]") {
    for (int workers : {1, 2, 3, 5}) {
        for (int seed : {1, 2, 9}) {
            INFO("workers " << workers << " seed " << seed);
            const Lines lines = lines_of("scenario{ workers = " + std::to_string(workers) +
                                         ", seed = " + std::to_string(seed) + R"( }
local t = {}
for i = 1, 1000 do t[i] = i end
local seq = 0
for i = 1, #t do seq = seq + (i * 7) % 13 end
local it = rayon.par_iter(t):map(function(x) work(0.001) return (x * 7) % 13 end)
print(it:sum() == seq)
local evens = rayon.par_iter(t):filter(function(x) return x % 2 == 0 end):collect()
local ordered = #evens == 500
for i = 1, #evens do ordered = ordered and evens[i] == 2 * i end
print(ordered)
print(rayon.par_iter(t):filter(function(x) return x % 3 == 0 end):count())
print(rayon.par_iter(t):reduce(function() return 0 end, math.max))
print(rayon.par_iter(t):reduce(1, function(a, b) return a end))
local seen = 0
rayon.par_iter(t):for_each(function() seen = seen + 1 end)
print(seen, rayon.par_iter({}):sum())
)");
            REQUIRE(lines.size() == 6);
            CHECK(lines[0] == "true");
            CHECK(lines[1] == "true");
            CHECK(lines[2] == "333");
            CHECK(lines[3] == "1000");
            CHECK(lines[4] == "1");
            CHECK(lines[5] == "1000\t0");
        }
    }
}

TEST_CASE("rayon: a panic in a closure is raised in the caller, at the script's line",
          "[lua][rayon]") {
    expect_error(R"(local t = {}
for i = 1, 100 do t[i] = i end
rayon.par_iter(t):map(function(x)
  if x == 77 then error("bad item " .. x) end
  return x
end):sum()
)",
                 4, "bad item 77");
    expect_error(R"(rayon.join(function() return 1 end,
  function() error("right side") end))",
                 2, "right side");
    // Both sides run to their end before the panic travels (rayon's join).
    const Lines lines = lines_of(R"(local done = false
local ok, err = pcall(rayon.join, function() error("left") end,
                      function() work(2) done = true end)
print(ok, err:find("left", 1, true) ~= nil, done)
)");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0] == "false\ttrue\ttrue");
}

TEST_CASE("rayon.scope: every spawned job ends before the scope returns", "[lua][rayon]") {
    const LuaRun run = run_lua(R"(scenario{ workers = 3 }
local done, threads = {}, {}
local r1, r2 = rayon.scope(function(s)
  for i = 1, 4 do
    s:spawn(function(s2)
      work(1)
      done[#done + 1] = i
      if i == 1 then s2:spawn("grandchild", function() work(2) done[#done + 1] = "g" end) end
    end)
  end
  return "result", #done  -- nothing has ended yet: the jobs wait on deques
end)
print(r1, r2, #done, now() >= 3)
local p = rayon.pool{ threads = 2, name = "crunch" }
local kept
print(p:scope(function(s)
  kept = s
  s:spawn("one", function() work(1) end)
  s:spawn("two", function() work(1) end)
  return rayon.current_num_threads()
end), tostring(kept))
print(pcall(kept.spawn, kept, function() end))
print(pcall(rayon.scope, 7))
print(pcall(function() rayon.scope(function(s) s.spawn(print) end) end))
)");
    INFO((run.result.errors.empty() ? std::string() : run.result.errors.front()));
    CHECK(run.result.outcome == spindle::RunOutcome::completed);
    const Lines& lines = run.lines;
    REQUIRE(lines.size() == 5);
    // Four jobs of 1 ms on three threads, then the grandchild's 2 ms: ended, all five.
    CHECK(lines[0] == "result\t0\t5\ttrue");
    CHECK(lines[1] == "2\trayon scope (2 jobs spawned, ended)");
    CHECK(lines[2].find("rayon scope: spawn after the scope ended") != std::string::npos);
    CHECK(lines[3].find("bad argument #1 to 'scope' (function expected, got number)") !=
          std::string::npos);
    CHECK(lines[4].find("call it as s:spawn(f)") != std::string::npos);
    // Each job is a task on the timeline, named by its place or by the script.
    for (const char* name : {"scope spawn 1", "scope spawn 4", "grandchild", "one", "two"}) {
        INFO(name);
        CHECK(run.dump.find(std::string("flavor=rayon name=\"") + name + "\"") !=
              std::string::npos);
    }
}

TEST_CASE("rayon.scope: a panic is raised after every job ended, the scope's own first",
          "[lua][rayon]") {
    expect_error(R"(rayon.scope(function(s)
  s:spawn(function() work(1) end)
  s:spawn(function() error("job failed") end)
end)
)",
                 3, "job failed");
    const Lines lines = lines_of(R"(local finished = 0
local ok, err = pcall(rayon.scope, function(s)
  s:spawn(function() error("first job") end)
  s:spawn(function() work(2) finished = finished + 1 end)
  s:spawn(function() error("third job") end)
end)
print(ok, err:find("first job", 1, true) ~= nil, finished)
ok, err = pcall(rayon.scope, function(s)
  s:spawn(function() work(2) finished = finished + 1 end)
  error("the scope itself")
end)
print(ok, err:find("the scope itself", 1, true) ~= nil, finished)
print(pcall(rayon.scope, function(s) s:spawn(function() error(nil) end) return "ret" end))
)");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "false\ttrue\t1");
    CHECK(lines[1] == "false\ttrue\t2");  // its job still ran to its end
    CHECK(lines[2] == "false\tnil");      // error(nil) is a failure too, as in rayon.join
}

TEST_CASE("rayon.pool: its own threads, name and validation", "[lua][rayon]") {
    const LuaRun run = run_lua(R"(local p = rayon.pool{ threads = 3, name = "crunch" }
print(tostring(p), p:current_num_threads(), p:name())
print(p:install(function(a, b) return a + b, rayon.current_num_threads() end, 2, 3))
local t = {}
for i = 1, 64 do t[i] = i end
print(p:par_iter(t):sum(), p:join(function() return "a" end, function() return "b" end))
print(pcall(rayon.pool, { threads = 0 }))
print(pcall(rayon.pool, 5))
print(pcall(rayon.par_iter, "x"))
print(pcall(rayon.join, print))
)");
    INFO((run.result.errors.empty() ? std::string() : run.result.errors.front()));
    CHECK(run.result.outcome == spindle::RunOutcome::completed);
    const Lines& lines = run.lines;
    REQUIRE(lines.size() == 7);
    CHECK(lines[0] == "rayon pool 'crunch' (3 threads)\t3\tcrunch");
    CHECK(lines[1] == "5\t3");  // inside the pool, current_num_threads is the pool's
    CHECK(lines[2] == "2080\ta\tb");
    CHECK(lines[3].find("threads must be a positive integer") != std::string::npos);
    CHECK(lines[4].find("table expected, got number") != std::string::npos);
    CHECK(lines[5].find("table expected, got string") != std::string::npos);
    CHECK(lines[6].find("bad argument #2 to 'join' (function expected, got nil)") !=
          std::string::npos);
    // The pool's threads are lanes of role rayon, named by the pool.
    CHECK(run.dump.find("type=rayon_pool cap=3 name=\"crunch\"") != std::string::npos);
    CHECK(run.dump.find("worker_start role=rayon pool=") != std::string::npos);
}

TEST_CASE("rayon: a call from async code holds the worker, from an OS thread the thread",
          "[lua][rayon]") {
    const LuaRun run = run_lua(R"(scenario{ workers = 2 }
local function busy() return rayon.join(function() work(1) end, function() work(1) end) end
spawn("async caller", busy):join()
thread.spawn("os caller", busy):join()
print("done")
)");
    CHECK(run.result.outcome == spindle::RunOutcome::completed);
    // The async caller's and the OS thread's waits on their install jobs both hold.
    std::size_t held = 0;
    for (std::size_t at = run.dump.find("op=join holds_worker=true"); at != std::string::npos;
         at = run.dump.find("op=join holds_worker=true", at + 1))
        ++held;
    CHECK(held >= 3);  // main's join of the OS thread, and both callers' installs
}

TEST_CASE("local_set: spawn_local pins tasks to the set's worker", "[lua][local_set]") {
    const LuaRun run = run_lua(R"(scenario{ workers = 4 }
local ls = local_set("rc")
print(tostring(ls):match("^local set 'rc' on thread %d+$") ~= nil, ls:name())
local hs = {}
for i = 1, 4 do
  hs[i] = ls:spawn_local("l" .. i, function(x) work(1) sleep(1) work(1) return x * 2 end, i)
end
hs[5] = ls:spawn_local(function() return "anonymous" end)
local out = {}
for i = 1, 5 do
  local _, v = hs[i]:join()
  out[i] = v
end
print(table.concat(out, ","), tostring(hs[5]):match("'task'$") ~= nil)
print(pcall(local_set, 5))
)");
    INFO((run.result.errors.empty() ? std::string() : run.result.errors.front()));
    CHECK(run.result.outcome == spindle::RunOutcome::completed);
    REQUIRE(run.lines.size() == 3);
    CHECK(run.lines[0] == "true\trc");
    CHECK(run.lines[1] == "2,4,6,8,anonymous\ttrue");
    CHECK(run.lines[2].find("string expected, got number") != std::string::npos);
    CHECK(run.dump.find("flavor=local name=\"l1\"") != std::string::npos);
}
