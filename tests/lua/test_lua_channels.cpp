// Scenario API: oneshot, broadcast and watch channels as scripts use them — results,
// closing, lag, coalescing, select branches that lose without effect, and argument errors.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "lua_test_support.h"
#include "spindle/instrument/recorder.h"
#include "spindle/lua/scenario.h"

using namespace lua_test;

// --- oneshot -----------------------------------------------------------------------------

TEST_CASE("oneshot: send delivers one value, recv then reports closed", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx = oneshot.channel("reply")
local t = { n = 42 }
local waiter = spawn("waiter", function()
  local v = rx:recv()
  print("got", v == t, v.n)
  print("again", rx:recv())
end)
sleep(1)
print("send", tx:send(t))
waiter:join()
print("is_closed", tx:is_closed())
)");
    CHECK(lines == Lines{"send\ttrue", "got\ttrue\t42", "again\tnil\tclosed", "is_closed\ttrue"});
}

TEST_CASE("oneshot: dropping the sender wakes the receiver with closed", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx = oneshot.channel()
local waiter = spawn(function() print("recv", rx:recv()) end)
sleep(2)
do
  local closing <close> = tx
end
waiter:join()
local tx2, rx2 = oneshot.channel()
tx2:drop()
tx2:drop()
print("try", rx2:try_recv())
)");
    CHECK(lines == Lines{"recv\tnil\tclosed", "try\tnil\tclosed"});
}

TEST_CASE("oneshot: send fails once the receiver is closed or dropped", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx = oneshot.channel()
print("closed before", tx:is_closed())
rx:close()
print("closed after", tx:is_closed())
print("send", tx:send("x"))
print("recv", rx:recv())
local tx2, rx2 = oneshot.channel()
rx2:drop()
print("send2", tx2:send(1))
)");
    CHECK(lines == Lines{"closed before\tfalse", "closed after\ttrue", "send\tfalse",
                         "recv\tnil\tclosed", "send2\tfalse"});
}

TEST_CASE("oneshot: try_recv reports empty, the value, then closed", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx = oneshot.channel()
print(rx:try_recv())
tx:send(false)
print(rx:try_recv())
print(rx:try_recv())
)");
    CHECK(lines == Lines{"nil\tempty", "false", "nil\tclosed"});
}

TEST_CASE("oneshot: select receives, and a lost branch takes nothing", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx = oneshot.channel()
print(select({ { recv = rx }, { sleep = 5 } }))
tx:send("late")
local tx2, rx2 = oneshot.channel()
tx2:send("first")
print(select({ { recv = rx2 }, { recv = rx } }, { biased = true }))
print(rx:try_recv())
print(select({ { sleep = 5 }, { recv = rx2 } }))
)");
    CHECK(lines == Lines{"2", "1\tfirst", "late", "2\tnil\tclosed"});
}

TEST_CASE("oneshot: misuse raises at the script's line", "[lua]") {
    expect_error(R"(local tx, rx = oneshot.channel()
tx:send(nil)
)",
                 2, "bad argument #1 to 'send' (cannot send nil)");
    expect_error(R"(local tx, rx = oneshot.channel()
tx:send(1)
tx:send(2)
)",
                 3, "this oneshot sender was already used");
    expect_error(R"(local tx, rx = oneshot.channel()
tx:drop()
tx:send(2)
)",
                 3, "this oneshot sender was dropped");
    expect_error(R"(local tx, rx = oneshot.channel()
rx:drop()
rx:recv()
)",
                 3, "this oneshot receiver was dropped");
    expect_error(R"(local tx, rx = oneshot.channel({})
)",
                 1, "bad argument #1 to 'channel' (string expected, got table)");
    expect_error(R"(local tx, rx = oneshot.channel()
rx.recv(tx)
)",
                 2, "spindle.oneshot.Receiver expected, got spindle.oneshot.Sender");
}

// --- broadcast ---------------------------------------------------------------------------

TEST_CASE("broadcast: every receiver sees every later value", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx1 = broadcast.channel(8, "bus")
local rx2 = tx:subscribe()
print("sent to", tx:send("a"))
local late = tx:subscribe()
print("sent to", tx:send("b"))
print("count", tx:receiver_count())
print(rx1:recv(), rx1:recv())
print(rx2:recv(), rx2:recv())
print(late:recv(), late:try_recv())
print("len", rx1:len(), late:len())
)");
    CHECK(lines == Lines{"sent to\t2", "sent to\t3", "count\t3", "a\tb", "a\tb", "b\tnil\tempty",
                         "len\t0\t0"});
}

TEST_CASE("broadcast: a slow receiver gets lagged with the number missed", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx = broadcast.channel(2)
for i = 1, 5 do tx:send(i) end
print(rx:recv())
print(rx:recv())
print(rx:recv())
for i = 6, 9 do tx:send(i) end
print(rx:try_recv())
print(rx:try_recv())
print(rx:try_recv())
)");
    CHECK(lines == Lines{"nil\tlagged\t3", "4", "5", "nil\tlagged\t2", "8", "9"});
}

TEST_CASE("broadcast: closed once every sender is gone and the buffer drained", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx = broadcast.channel(4)
local tx2 = tx:clone()
local reader = spawn("reader", function()
  local got = {}
  while true do
    local v, err = rx:recv()
    if v == nil then
      got[#got + 1] = err
      break
    end
    got[#got + 1] = tostring(v)
  end
  print(table.concat(got, " "))
end)
tx:send(1)
tx:drop()
sleep(1)
tx2:send(2)
print("closed?", rx:is_closed())
tx2:drop()
reader:join()
print("closed!", rx:is_closed())
)");
    CHECK(lines == Lines{"closed?\tfalse", "1 2 closed", "closed!\ttrue"});
}

TEST_CASE("broadcast: sending with no receiver returns 0", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx = broadcast.channel(1)
rx:drop()
print(tx:send("lost"))
local rx2 = tx:subscribe()
print(tx:send("kept"), rx2:recv())
local again = rx2:resubscribe()
tx:send("both")
print(rx2:recv(), again:recv())
)");
    CHECK(lines == Lines{"0", "1\tkept", "both\tboth"});
}

TEST_CASE("broadcast: select reports lag and loses without consuming", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx1 = broadcast.channel(1)
local rx2 = tx:subscribe()
tx:send("x")
tx:send("y")
print(select({ { recv = rx1 } }))
print(select({ { recv = rx1 }, { recv = rx2 } }, { biased = true }))
print(rx2:try_recv())
print(rx2:try_recv())
print(select({ { recv = rx2 }, { sleep = 3 } }))
tx:send("z")
print(rx2:recv())
)");
    CHECK(lines == Lines{"1\tnil\tlagged\t1", "1\ty", "nil\tlagged\t1", "y", "2", "z"});
}

TEST_CASE("broadcast: misuse raises at the script's line", "[lua]") {
    expect_error(R"(local tx, rx = broadcast.channel(0)
)",
                 1, "bad argument #1 to 'channel' (capacity must be at least 1)");
    expect_error(R"(local tx, rx = broadcast.channel()
)",
                 1, "bad argument #1 to 'channel' (number expected, got no value)");
    expect_error(R"(local tx, rx = broadcast.channel(2)

tx:send()
)",
                 3, "bad argument #1 to 'send' (cannot send nil)");
    expect_error(R"(local tx, rx = broadcast.channel(2)
rx:drop()
rx:recv()
)",
                 3, "this broadcast receiver was dropped");
    expect_error(R"(local tx, rx = broadcast.channel(2)
tx:drop()
local r = tx:subscribe()
)",
                 3, "this broadcast sender was dropped");
}

// --- watch -------------------------------------------------------------------------------

TEST_CASE("watch: changed wakes on a send and sends in between coalesce", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx = watch.channel(1, "config")
print("initial", rx:borrow(), tx:borrow())
local seen = {}
local watcher = spawn("watcher", function()
  while rx:changed() do
    seen[#seen + 1] = rx:borrow()
    sleep(5)
  end
  print("seen", table.concat(seen, ","))
end)
sleep(1)
print("send", tx:send(2))
sleep(1)
tx:send(3)
tx:send(4)
sleep(10)
tx:drop()
watcher:join()
)");
    CHECK(lines == Lines{"initial\t1\t1", "send\ttrue", "seen\t2,4"});
}

TEST_CASE("watch: changed returns false once the sender is dropped", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx = watch.channel("v0")
local tx2 = tx:clone()
local watcher = spawn(function() return rx:changed() end)
sleep(1)
tx:drop()
sleep(1)
print("finished after one drop", watcher:is_finished())
tx2:drop()
print("changed", watcher:join())
print("has_changed", rx:has_changed())
print("value kept", rx:borrow())
)");
    CHECK(lines == Lines{"finished after one drop\tfalse", "changed\ttrue\tfalse",
                         "has_changed\tnil\tclosed", "value kept\tv0"});
}

TEST_CASE("watch: send without receivers fails, send_replace stores anyway", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx = watch.channel(1)
rx:drop()
print(tx:is_closed(), tx:receiver_count(), tx:send(2), tx:borrow())
print(tx:send_replace(3), tx:borrow())
local rx2 = tx:subscribe()
print(rx2:has_changed(), rx2:borrow(), tx:receiver_count())
)");
    CHECK(lines == Lines{"true\t0\tfalse\t1", "1\t3", "false\t3\t1"});
}

TEST_CASE("watch: borrow_and_update marks seen, clone copies what was seen", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx = watch.channel(0)
tx:send(1)
local copy = rx:clone()
print(rx:has_changed(), copy:has_changed())
print(rx:borrow(), rx:has_changed())
print(rx:borrow_and_update(), rx:has_changed(), copy:has_changed())
print(copy:changed(), copy:has_changed())
)");
    CHECK(lines == Lines{"true\ttrue", "1\ttrue", "1\tfalse\ttrue", "true\tfalse"});
}

TEST_CASE("watch: select on changed, the losing branch marks nothing seen", "[lua]") {
    const Lines lines = lines_of(R"(local tx, rx1 = watch.channel("a")
local rx2 = tx:subscribe()
print(select({ { changed = rx1 }, { sleep = 2 } }))
tx:send("b")
print(select({ { changed = rx1 }, { changed = rx2 } }, { biased = true }))
print(rx1:has_changed(), rx2:has_changed())
tx:drop()
print(select({ { changed = rx1 } }))
print(select({ { changed = rx2 } }))
print(select({ { changed = rx2 } }))
)");
    CHECK(lines == Lines{"2", "1\ttrue", "false\ttrue", "1\tfalse", "1\ttrue", "1\tfalse"});
}

TEST_CASE("watch: misuse raises at the script's line", "[lua]") {
    expect_error(R"(local tx, rx = watch.channel()
)",
                 1, "bad argument #1 to 'channel' (the initial value cannot be nil)");
    expect_error(R"(local tx, rx = watch.channel(1)
tx:send(nil)
)",
                 2, "bad argument #1 to 'send' (cannot send nil)");
    expect_error(R"(local tx, rx = watch.channel(1)
rx:drop()
print(rx:borrow())
)",
                 3, "this watch receiver was dropped");
}
