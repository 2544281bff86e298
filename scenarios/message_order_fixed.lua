-- message_order_fixed.lua — message_order.lua with the order made explicit.
--
-- What it shows: producer B waits until A's message is in the channel (A tells
-- it through a oneshot once its send went through) before sending its own, so
-- the order the consumer relies on is one the program enforces. Every schedule
-- completes: spindle-run --explore 1000 --strategy random (or pct) finds one
-- class, "completed".
-- What to look at: producer B's wait on "opened" ends right after A's send on
-- "events".
scenario{
  name = "message_order_fixed",
  description = "The second producer waits for the first: the order holds in every schedule",
  workers = 2,
  seed = 1,
}

local tx, rx = mpsc.channel(4, "events")
local tx_b = tx:clone()
local opened_tx, opened_rx = oneshot.channel("opened")

spawn("producer A", function()
  tx:send("A: account opened")
  tx:drop()
  opened_tx:send(true)  -- A's message is in the channel
end)
spawn("producer B", function()
  opened_rx:recv()  -- waits for A
  tx_b:send("B: first deposit")
  tx_b:drop()
end)
local first = rx:recv()
local second = rx:recv()
print(first, second)
check(first:sub(1, 1) == "A",
      "the account is opened before the deposit (got '" .. first .. "' first)")
