// Scenario API: OS threads (thread.spawn / sleep / scope) and crossbeam channels as
// scripts use them — results, blocking, MPMC, disconnection, select, misuse.
#include <catch2/catch.hpp>

#include <string>

#include "lua_test_support.h"

using namespace lua_test;

TEST_CASE("thread: spawn and join return the body's results, and the handle names a thread",
          "[lua][thread]") {
    const LuaRun run =
        run_lua(R"(local h = thread.spawn("adder", function(a, b) return a + b, "ok" end, 2, 3)
print(tostring(h):match("^thread %d+ 'adder'$") ~= nil)
print(h:join())
print(h:join())
local bad = thread.spawn(function() error("boom") end)
local ok, msg = bad:join()
print(ok, msg:find("boom", 1, true) ~= nil)
print(pcall(h.abort, h))
)");
    CHECK(run.result.outcome == spindle::RunOutcome::failed);  // the thread that panicked
    const Lines& lines = run.lines;
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] == "true");
    CHECK(lines[1] == "true\t5\tok");
    CHECK(lines[2] == "false\talready joined");
    CHECK(lines[3] == "false\ttrue");
    CHECK(lines[4].find("cannot be aborted") != std::string::npos);
}

TEST_CASE("thread.scope joins every scoped thread before it returns", "[lua][thread]") {
    const LuaRun run = run_lua(R"(local data = { 1, 2, 3, 4 }
local sums = {}
local r, extra = thread.scope(function(s)
  for i = 1, 2 do
    s:spawn(function() thread.sleep(i) sums[i] = data[2 * i - 1] + data[2 * i] end)
  end
  return "done", 7
end)
print(r, extra, sums[1], sums[2], now())
local ok, err = pcall(thread.scope, function(s) s:spawn(function() error("bad") end) end)
print(ok, err:find("a scoped thread panicked", 1, true) ~= nil)
print(pcall(thread.scope, 5))
)");
    CHECK(run.result.outcome == spindle::RunOutcome::failed);  // the scoped thread's panic
    const Lines& lines = run.lines;
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].rfind("done\t7\t3\t7\t2.0", 0) == 0);  // returned after the 2 ms thread
    CHECK(lines[1] == "false\ttrue");
    CHECK(lines[2].find("function expected") != std::string::npos);
}

TEST_CASE("crossbeam: MPMC delivery, disconnection, try_ and recv_timeout", "[lua][crossbeam]") {
    const Lines lines = lines_of(R"(local tx, rx = crossbeam.bounded(2, "jobs")
local got = {}
local hs = {}
for w = 1, 3 do
  local r = rx:clone()
  hs[w] = thread.spawn(function()
    local n = 0
    for v in r:iter() do got[#got + 1] = v; n = n + 1; work(1) end
    return n
  end)
end
rx:drop()
for i = 1, 12 do tx:send(i) end
print(tx:len() <= 2)
tx:drop()
local total = 0
for w = 1, 3 do local _, n = hs[w]:join(); total = total + n end
table.sort(got)
print(total, #got, got[1], got[12])
local t2, r2 = crossbeam.unbounded()
print(r2:try_recv())
local v, why = r2:recv_timeout(3)
print(v, why, now() >= 3)
t2:send("x")
print(r2:recv_timeout(3))
t2:drop()
print(r2:try_recv())
print(r2:recv_timeout(3))
local t3, r3 = crossbeam.bounded(1)
r3:drop()
print(t3:send(1), t3:try_send(1))
)");
    REQUIRE(lines.size() == 8);
    CHECK(lines[1] == "12\t12\t1\t12");
    CHECK(lines[2] == "nil\tempty");
    CHECK(lines[3] == "nil\ttimeout\ttrue");
    CHECK(lines[4] == "x");
    CHECK(lines[5] == "nil\tdisconnected");
    CHECK(lines[6] == "nil\tdisconnected");
    CHECK(lines[7] == "false\tfalse\tdisconnected");
}

TEST_CASE("crossbeam.select picks a ready branch, and tokio's select refuses crossbeam ends",
          "[lua][crossbeam]") {
    const Lines lines = lines_of(R"(local a_tx, a_rx = crossbeam.unbounded("a")
local b_tx, b_rx = crossbeam.unbounded("b")
thread.spawn(function() thread.sleep(2) b_tx:send("from b") end)
print(crossbeam.select({ { recv = a_rx }, { recv = b_rx } }))
print(crossbeam.select({ { recv = a_rx } }, { timeout = 1 }))
print(pcall(select, { { recv = a_rx } }))
local m_tx, m_rx = mpsc.unbounded()
print(pcall(crossbeam.select, { { recv = m_rx } }))
)");
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "2\tfrom b");
    CHECK(lines[1] == "nil\ttimeout");
    CHECK(lines[2].find("crossbeam channel cannot be awaited") != std::string::npos);
    CHECK(lines[3].find("is not a crossbeam channel") != std::string::npos);
}

TEST_CASE("crossbeam: recv in an async task blocks its worker, and a deadlock names the channel",
          "[lua][crossbeam]") {
    // One worker: the blocked recv keeps "other" from running until the send at 5 ms.
    const Lines lines = lines_of(R"(scenario{ workers = 1 }
local tx, rx = crossbeam.bounded(1, "slow")
thread.spawn(function() thread.sleep(5) tx:send(1) end)
local waiter = spawn("waiter", function() return rx:recv() end)
yield_now()
local other = spawn("other", function() return now() end)
local _, at = other:join()
print(at >= 5)
)");
    CHECK(lines == Lines{"true"});
    LuaRun run = run_lua(R"(local tx, rx = crossbeam.bounded(1, "never")
thread.spawn("stuck", function() return rx:recv() end):join()
)");
    CHECK(run.result.outcome == spindle::RunOutcome::deadlock);
}

TEST_CASE("dashmap: insert, get and get_mut guards, entry, remove, len", "[lua][dashmap]") {
    const Lines lines = lines_of(R"(local m = dashmap.new("cache", 4)
print(tostring(m), m:shards(), m:insert("a", 1), m:insert("a", 2), m:len())
do
  local g <close> = m:get("a")
  print(g:value(), pcall(g.set, g, 3))
end
local w = m:get_mut("a"); w:set(w:value() + 10); w:drop()
print(m:get("a"):value(), pcall(w.value, w))
local e = m:entry("b"):or_insert(5); e:drop()
local e2 = m:entry("b"):or_insert(99); print(e2:value()); e2:drop()
print(m:len(), m:remove("a"), m:len(), m:get("zz"), m:remove("zz"))
print(m:shard_of("k1") == m:shard_of("k1"), m:shard_of(7) >= 0 and m:shard_of(7) < 4)
print(pcall(dashmap.new, "x", 0))
)");
    REQUIRE(lines.size() == 7);
    CHECK(lines[0] == "dashmap 'cache'\t4\tnil\t1\t1");
    CHECK(lines[1].rfind("2\tfalse\t", 0) == 0);   // a read guard cannot set
    CHECK(lines[2].rfind("12\tfalse\t", 0) == 0);  // a dropped guard refuses value()
    CHECK(lines[3] == "5");
    CHECK(lines[4] == "2\t12\t1\tnil\tnil");
    CHECK(lines[5] == "true\ttrue");
    CHECK(lines[6].find("shard count") != std::string::npos);
}

TEST_CASE("dashmap: a guard blocks writers on its shard only", "[lua][dashmap]") {
    const Lines lines = lines_of(R"(scenario{ workers = 2 }
local m = dashmap.new("m", 2)
local same, other
for i = 1, 50 do
  local k = "k" .. i
  if not same and m:shard_of(k) == m:shard_of("k0") and k ~= "k0" then same = k end
  if not other and m:shard_of(k) ~= m:shard_of("k0") then other = k end
end
m:insert("k0", 0)
local g = m:get("k0")
local t1 = spawn(function() m:insert(other, 1) return now() end)
local t2 = spawn(function() m:insert(same, 1) return now() end)
sleep(5)
g:drop()
local _, a = t1:join()
local _, b = t2:join()
print(a < 1, b >= 5)
)");
    CHECK(lines == Lines{"true\ttrue"});
}

TEST_CASE("dashmap: inserting into a shard while holding its guard deadlocks, naming the shard",
          "[lua][dashmap]") {
    LuaRun run = run_lua(R"(local m = dashmap.new("cache", 4)
m:insert("a", 1)
local g = m:get("a")
m:insert("a", 2)
)");
    CHECK(run.result.outcome == spindle::RunOutcome::deadlock);
    REQUIRE(run.result.deadlock);
    CHECK(run.result.deadlock->to_text().find("cache shard") != std::string::npos);
}

TEST_CASE("join_set: join_next yields results as tasks finish, abort_all cancels the rest",
          "[lua][join_set]") {
    const Lines lines = lines_of(R"(local set = join_set()
print(set:join_next(), set:is_empty())
for i, ms in ipairs({ 3, 1, 2 }) do
  set:spawn("t" .. i, function() sleep(ms) return i end)
end
set:spawn("long", function() sleep(100) return "late" end)
print(set:len(), tostring(set))
for _ = 1, 3 do print(set:join_next()) end
set:abort_all()
print(set:join_next())
print(set:join_next(), now() < 100)
)");
    CHECK(lines == Lines{"nil\ttrue", "4\tjoin set (4 tasks)", "true\t2", "true\t3", "true\t1",
                         "false\taborted", "nil\ttrue"});
}
