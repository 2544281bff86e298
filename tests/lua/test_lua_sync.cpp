// Scenario API: mutex, rwlock, semaphore, notify and barrier as scripts use them —
// guards released by unlock / <close> / collection, the with-helpers, select branches
// that lose without effect, deadlock reports and argument errors.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "lua_test_support.h"
#include "spindle/instrument/recorder.h"
#include "spindle/lua/scenario.h"

using namespace lua_test;

// --- mutex -------------------------------------------------------------------------------

TEST_CASE("mutex: lock excludes across waits, <close> releases the guard", "[lua]") {
    const Lines lines = lines_of(R"(scenario{ workers = 3 }
local m = mutex("counter")
local counter, inside, most = 0, 0, 0
local tasks = {}
for t = 1, 4 do
  tasks[t] = spawn("t" .. t, function()
    for _ = 1, 5 do
      local g <close> = m:lock()
      inside = inside + 1
      if inside > most then most = inside end
      local seen = counter
      yield_now()
      work(0.1)
      sleep(0.05)
      counter = seen + 1
      inside = inside - 1
    end
  end)
end
for _, t in ipairs(tasks) do t:join() end
print(counter, most, m:is_locked())
)");
    CHECK(lines == Lines{"20\t1\tfalse"});
}

TEST_CASE("mutex: unlock, try_lock, and release when collected", "[lua]") {
    const Lines lines = lines_of(R"(local m = mutex()
local g = m:lock()
print("locked", m:is_locked(), g:is_held(), m:try_lock())
g:unlock()
print("unlocked", m:is_locked(), g:is_held())
g:drop()
local t = m:try_lock()
print("try", t ~= nil, m:is_locked())
t = nil
collectgarbage()
print("collected", m:is_locked())
do
  local scoped <close> = m:lock()
  print("scoped", m:is_locked())
end
print("after scope", m:is_locked())
)");
    CHECK(lines == Lines{"locked\ttrue\ttrue\tnil", "unlocked\tfalse\tfalse", "try\ttrue\ttrue",
                         "collected\tfalse", "scoped\ttrue", "after scope\tfalse"});
}

TEST_CASE("mutex: with runs the function under the lock, even when it waits", "[lua]") {
    const Lines lines = lines_of(R"(local m = mutex("m")
local order = {}
local other = spawn("other", function()
  sleep(1)
  m:with(function() order[#order + 1] = "other" end)
end)
print(m:with(function(a, b)
  sleep(5)
  order[#order + 1] = "main"
  return a + b, "done"
end, 2, 3))
other:join()
print(table.concat(order, " "), m:is_locked())
print(pcall(m.with, m, function() error("boom", 0) end))
print("released after error", m:is_locked())
)");
    CHECK(lines ==
          Lines{"5\tdone", "main other\tfalse", "false\tboom", "released after error\tfalse"});
}

TEST_CASE("mutex: a lost select branch does not take the lock", "[lua]") {
    const Lines lines = lines_of(R"(local m = mutex("m")
local holder = spawn("holder", function()
  local g <close> = m:lock()
  sleep(10)
end)
sleep(1)
print(select({ { lock = m }, { sleep = 2 } }))
holder:join()
print("free", m:is_locked())
local a, b = mutex("a"), mutex("b")
local i, g = select({ { lock = a }, { lock = b } }, { biased = true })
print(i, a:is_locked(), b:is_locked())
g:unlock()
print(a:is_locked())
)");
    CHECK(lines == Lines{"2", "free\tfalse", "1\ttrue\tfalse", "false"});
}

TEST_CASE("mutex: two mutexes taken in opposite order deadlock", "[lua]") {
    const LuaRun run = run_lua(R"(local left = mutex("left")
local right = mutex("right")
local function transfer(name, first, second)
  return spawn(name, function()
    local a <close> = first:lock()
    sleep(1)
    local b <close> = second:lock()
    print(name .. " done")
  end)
end
local t1 = transfer("one", left, right)
local t2 = transfer("two", right, left)
t1:join()
t2:join()
)");
    CHECK(run.result.outcome == spindle::RunOutcome::deadlock);
    CHECK(run.result.exit_code() == 3);
    CHECK(run.lines.empty());
    REQUIRE(run.result.deadlock);
    const std::string text = run.result.deadlock->to_text();
    INFO(text);
    CHECK(text.find("to lock on mutex") != std::string::npos);
    CHECK(text.find("'left'") != std::string::npos);
    CHECK(text.find("'right'") != std::string::npos);
    CHECK(text.find("'one'") != std::string::npos);
    CHECK(text.find("'two'") != std::string::npos);
    CHECK(run.result.deadlock->cycle.size() == 2);
}

TEST_CASE("mutex: misuse raises at the script's line", "[lua]") {
    expect_error(R"(local m = mutex()
local g = m:lock()
g:unlock()
g:unlock()
)",
                 4, "this guard was released");
    expect_error(R"(local m = mutex()
m:with(42)
)",
                 2, "bad argument #1 to 'with' (function expected, got number)");
    expect_error(R"(local m = mutex({})
)",
                 1, "bad argument #1 to 'mutex' (string expected, got table)");
    expect_error(R"(local m = mutex()
local co = coroutine.wrap(function() return m:with(print) end)
co()
)",
                 3, "test.lua:2: with: a waiting call cannot be made inside the script's own");
}

// --- rwlock ------------------------------------------------------------------------------

TEST_CASE("rwlock: readers share, a writer excludes, the queue is fair", "[lua]") {
    const Lines lines = lines_of(R"(local l = rwlock("cache")
local log = {}
local function reader(name, delay)
  return spawn(name, function()
    sleep(delay)
    l:with_read(function()
      log[#log + 1] = name .. "+" .. l:readers()
      sleep(4)
    end)
  end)
end
local r1, r2 = reader("r1", 0), reader("r2", 1)
local w = spawn("w", function()
  sleep(2)
  local g <close> = l:write()
  log[#log + 1] = "w" .. (l:is_write_locked() and "!" or "?")
  sleep(1)
end)
local r3 = reader("r3", 3)
r1:join(); r2:join(); w:join(); r3:join()
print(table.concat(log, " "))
print(l:readers(), l:is_write_locked())
)");
    CHECK(lines == Lines{"r1+1 r2+2 w! r3+1", "0\tfalse"});
}

TEST_CASE("rwlock: try_read / try_write, with_write and downgrade", "[lua]") {
    const Lines lines = lines_of(R"(local l = rwlock()
local r = l:try_read()
print("read", r ~= nil, l:try_write(), l:try_read() ~= nil, l:readers())
collectgarbage()
r:unlock()
print("after", l:readers())
local w = l:try_write()
print("write", w ~= nil, l:try_read(), l:try_write())
local rd = w:downgrade()
print("downgraded", w:is_held(), rd:is_held(), l:readers(), l:is_write_locked())
rd:drop()
print(l:with_write(function(x) return x * 2, l:is_write_locked() end, 21))
print("free", l:readers(), l:is_write_locked())
)");
    CHECK(lines == Lines{"read\ttrue\tnil\ttrue\t2", "after\t0", "write\ttrue\tnil\tnil",
                         "downgraded\tfalse\ttrue\t1\tfalse", "42\ttrue", "free\t0\tfalse"});
}

TEST_CASE("rwlock: select on read and write, the loser takes nothing", "[lua]") {
    const Lines lines = lines_of(R"(local l = rwlock()
local i, g = select({ { write = l }, { read = l } }, { biased = true })
print(i, l:is_write_locked(), l:readers())
print(select({ { read = l }, { write = l }, { sleep = 1 } }))
g:unlock()
local j, rg = select({ { read = l }, { sleep = 1 } })
print(j, l:readers(), l:is_write_locked())
rg:unlock()
)");
    CHECK(lines == Lines{"1\ttrue\t0", "3", "1\t1\tfalse"});
}

TEST_CASE("rwlock: misuse raises at the script's line", "[lua]") {
    expect_error(R"(local l = rwlock()
local w = l:write()
w:unlock()
local r = w:downgrade()
)",
                 4, "this guard was released");
    expect_error(R"(local l = rwlock()

l:with_read("nope")
)",
                 3, "bad argument #1 to 'with_read' (function expected, got string)");
}

// --- semaphore ---------------------------------------------------------------------------

TEST_CASE("semaphore: permits are counted, waited for and given back", "[lua]") {
    const Lines lines = lines_of(R"(local s = semaphore(3, "pool")
local p = s:acquire(2)
print("took", p:permits(), s:available(), s:try_acquire(2))
local waiter = spawn("waiter", function()
  local q <close> = s:acquire(3)
  print("waiter got", q:permits(), s:available())
end)
sleep(1)
p:release()
waiter:join()
print("back", s:available())
s:add_permits(2)
print("added", s:available())
do
  local scoped <close> = s:acquire(5)
  print("scoped", s:available(), s:try_acquire())
end
print("after scope", s:available())
local z = s:acquire(0)
print("zero", z:permits(), s:available())
)");
    CHECK(lines == Lines{"took\t2\t1\tnil", "waiter got\t3\t0", "back\t3", "added\t5",
                         "scoped\t0\tnil", "after scope\t5", "zero\t0\t5"});
}

TEST_CASE("semaphore: close fails waiting and later acquires", "[lua]") {
    const Lines lines = lines_of(R"(local s = semaphore(1)
local held = s:acquire()
local waiter = spawn(function() return s:acquire() end)
sleep(1)
print("closed?", s:is_closed())
s:close()
print("waiter", select(2, waiter:join()))
print("later", s:acquire())
print("try", s:try_acquire())
held:release()
print("available", s:available())
local p = s:try_acquire()
)");
    CHECK(lines == Lines{"closed?\tfalse", "waiter\tnil\tclosed", "later\tnil\tclosed", "try\tnil",
                         "available\t1"});
}

TEST_CASE("semaphore: select acquires n permits, a lost branch takes none", "[lua]") {
    const Lines lines = lines_of(R"(local s = semaphore(1)
print(select({ { acquire = s, n = 2 }, { sleep = 3 } }))
print("still", s:available())
local i, p = select({ { acquire = s } })
print(i, p:permits(), s:available())
p:forget()
print("forgotten", s:available())
s:add_permits(4)
local j, q = select({ { acquire = s, n = 3 }, { sleep = 1 } })
print(j, q:permits(), s:available())
)");
    CHECK(lines == Lines{"2", "still\t1", "1\t1\t0", "forgotten\t0", "1\t3\t1"});
}

TEST_CASE("semaphore: misuse raises at the script's line", "[lua]") {
    expect_error(R"(local s = semaphore(-1)
)",
                 1, "bad argument #1 to 'semaphore' (permits must be from 0 to 536870911)");
    expect_error(R"(local s = semaphore()
)",
                 1, "bad argument #1 to 'semaphore' (number expected, got no value)");
    expect_error(R"(local s = semaphore(2)
local p = s:acquire()
p:release()
p:release()
)",
                 4, "this permit was released");
    expect_error(R"(local s = semaphore(2)
local p = s:acquire("many")
)",
                 2, "bad argument #1 to 'acquire' (number expected, got string)");
    expect_error(R"(local s = semaphore(2)
s:add_permits(536870911)
)",
                 2, "add_permits: the semaphore would exceed 536870911 permits");
}

// --- notify ------------------------------------------------------------------------------

TEST_CASE("notify: notify_one wakes one waiter or stores one permit", "[lua]") {
    const Lines lines = lines_of(R"(local n = notify("wake")
local woken = {}
local tasks = {}
for i = 1, 3 do
  tasks[i] = spawn("w" .. i, function()
    sleep(i)
    n:notified()
    woken[#woken + 1] = i
  end)
end
sleep(5)
n:notify_one()
sleep(1)
print("one", table.concat(woken, ","))
n:notify_waiters()
for _, t in ipairs(tasks) do t:join() end
print("all", table.concat(woken, ","))
n:notify_one()
n:notify_one()
n:notified()
print("stored permit used")
print(select({ { notified = n }, { sleep = 2 } }))
)");
    CHECK(lines == Lines{"one\t1", "all\t1,2,3", "stored permit used", "2"});
}

TEST_CASE("notify: a lost select branch leaves no stale waiter", "[lua]") {
    const Lines lines = lines_of(R"(local n = notify()
print(select({ { notified = n }, { sleep = 1 } }))
n:notify_one()
print(select({ { sleep = 1 }, { notified = n } }))
local waiter = spawn(function()
  return select({ { notified = n, name = "signal" }, { sleep = 50 } })
end)
sleep(1)
n:notify_one()
print(waiter:join())
)");
    CHECK(lines == Lines{"2", "2", "true\t1"});
}

// --- barrier -----------------------------------------------------------------------------

TEST_CASE("barrier: exactly one leader per generation", "[lua]") {
    const Lines lines = lines_of(R"(local b = barrier(3, "sync")
local leaders, passed = 0, 0
local tasks = {}
for i = 1, 6 do
  tasks[i] = spawn("p" .. i, function()
    sleep(i)
    if b:wait() then leaders = leaders + 1 end
    passed = passed + 1
  end)
end
for _, t in ipairs(tasks) do t:join() end
print(leaders, passed, b:parties())
local solo = barrier(1)
print(solo:wait(), solo:wait())
)");
    CHECK(lines == Lines{"2\t6\t3", "true\ttrue"});
}

TEST_CASE("barrier: too few parties deadlock, bad arguments raise", "[lua]") {
    const LuaRun run = run_lua(R"(local b = barrier(2, "gate")
b:wait()
)");
    CHECK(run.result.outcome == spindle::RunOutcome::deadlock);
    CHECK(run.result.exit_code() == 3);
    REQUIRE(run.result.deadlock);
    CHECK(run.result.deadlock->to_text().find("'gate'") != std::string::npos);

    expect_error(R"(local b = barrier("three")
)",
                 1, "bad argument #1 to 'barrier' (number expected, got string)");
    expect_error(R"(local b = barrier(2)
b.wait(notify())
)",
                 2, "spindle.sync.Barrier expected, got spindle.sync.Notify");
}
