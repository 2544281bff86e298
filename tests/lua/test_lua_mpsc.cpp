// Scenario API: mpsc channels as scripts use them — values of every Lua type,
// backpressure, try_send / try_recv, clone / drop / close, iter, select, and misuse.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "lua_test_support.h"

using namespace lua_test;

TEST_CASE("mpsc: values keep their Lua type and identity through the buffer", "[lua][mpsc]") {
    const Lines lines = lines_of(R"(local tx, rx = mpsc.unbounded("values")
local t, f = { n = 1 }, function() return "called" end
tx:send(2); tx:send(2.0); tx:send(-0.5); tx:send(math.maxinteger)
tx:send(true); tx:send(false); tx:send("text"); tx:send(t); tx:send(f)
t = nil
collectgarbage()   -- a buffered table stays alive while only the channel holds it
for i = 1, 4 do local v = rx:recv(); print(math.type(v), v) end
print(rx:recv(), rx:recv(), rx:recv())
local got = rx:recv()
print(type(got), got.n)
print(rx:recv()())
print("len", rx:len())
)");
    CHECK(lines == Lines{"integer\t2", "float\t2.0", "float\t-0.5", "integer\t9223372036854775807",
                         "true\tfalse\ttext", "table\t1", "called", "len\t0"});
}

TEST_CASE("mpsc: a bounded send waits for room, and senders are served in order", "[lua][mpsc]") {
    const Lines lines = lines_of(R"(local tx, rx = mpsc.channel(2, "jobs")
local p = spawn("producer", function()
  for i = 1, 4 do
    tx:send(i)
    print("sent", i, math.floor(now()))
  end
  tx:drop()
end)
sleep(10)
print("len", rx:len())
for v in rx:iter() do print("got", v) end
p:join()
print("closed", rx:is_closed())
)");
    // Two fit at once; the third waits until the receiver takes one at 10 ms.
    REQUIRE(lines.size() >= 4);
    CHECK(lines[0] == "sent\t1\t0");
    CHECK(lines[1] == "sent\t2\t0");
    CHECK(lines[2] == "len\t2");
    CHECK(std::find(lines.begin(), lines.end(), "sent\t3\t10") != lines.end());
    CHECK(lines.back() == "closed\ttrue");
    int received = 0;
    for (const std::string& l : lines)
        if (l.rfind("got\t", 0) == 0) CHECK(l == "got\t" + std::to_string(++received));
    CHECK(received == 4);
}

TEST_CASE("mpsc: try_send and try_recv report full, empty and closed", "[lua][mpsc]") {
    const Lines lines = lines_of(R"(local tx, rx = mpsc.channel(1)
print(rx:try_recv())
print(tx:try_send("a"))
print(tx:try_send("b"))
print(rx:try_recv())
tx:drop()
print(rx:try_recv())
local tx2, rx2 = mpsc.channel(1)
rx2:close()
print(tx2:try_send(1))
print(tx2:is_closed())
print(tx2:send(1))
)");
    CHECK(lines == Lines{"nil\tempty", "true", "false\tfull", "a", "nil\tclosed", "false\tclosed",
                         "true", "false"});
}

TEST_CASE("mpsc: the channel closes when the last clone drops, also by <close>", "[lua][mpsc]") {
    const Lines lines = lines_of(R"(local tx, rx = mpsc.unbounded()
local a = tx:clone()
tx:drop()
do
  local b <close> = a:clone()
  b:send("from b")
end
print(rx:recv(), rx:is_closed())
a:send("from a")
a:drop()
print(rx:recv(), rx:recv())
print(rx:is_closed())
)");
    CHECK(lines == Lines{"from b\tfalse", "from a\tnil", "true"});
}

TEST_CASE("mpsc: close keeps buffered messages, drop discards them", "[lua][mpsc]") {
    const Lines lines = lines_of(R"(local tx, rx = mpsc.unbounded()
tx:send(1); tx:send(2)
rx:close()
print(tx:send(3), tx:is_closed())
print(rx:recv(), rx:recv(), rx:recv())
local tx2, rx2 = mpsc.unbounded()
tx2:send(1)
rx2:drop()
print(tx2:send(2), tx2:is_closed())
)");
    CHECK(lines == Lines{"false\ttrue", "1\t2\tnil", "false\ttrue"});
}

TEST_CASE("mpsc: select receives or sends, and a lost branch has no effect", "[lua][mpsc]") {
    const Lines lines = lines_of(R"(local tx, rx = mpsc.channel(1, "in")
local out_tx, out_rx = mpsc.channel(1, "out")
out_tx:send("occupied")
local i, v = select({ { recv = rx }, { sleep = 5, name = "tick" } })
print(i, v, math.floor(now()))
tx:send("hello")
i, v = select({ { send = out_tx, value = "lost" }, { recv = rx } })
print(i, v)
print(out_rx:recv(), out_rx:try_recv())
)");
    CHECK(lines == Lines{"2\tnil\t5", "2\thello", "occupied\tnil\tempty"});
}

TEST_CASE("mpsc: misuse raises at the script's line", "[lua][mpsc]") {
    expect_error(R"(local tx, rx = mpsc.channel(4)
tx:send(nil)
)",
                 2, "bad argument #1 to 'send' (cannot send nil)");
    expect_error(R"(local tx, rx = mpsc.channel(0)
)",
                 1, "capacity must be at least 1");
    expect_error(R"(local tx, rx = mpsc.channel(4)
tx:drop()
tx:send(1)
)",
                 3, "this mpsc sender was dropped");
    expect_error(R"(local tx, rx = mpsc.channel(4)
rx:drop()
rx:recv()
)",
                 3, "this mpsc receiver was dropped");
    expect_error(R"(local tx, rx = mpsc.channel(4)
rx.recv(tx)
)",
                 2, "spindle.mpsc.Receiver expected, got spindle.mpsc.Sender");
    expect_error(R"(local tx, rx = mpsc.channel(4)
tx.send({}, 1)
)",
                 2, "spindle.mpsc.Sender expected, got table");
}
