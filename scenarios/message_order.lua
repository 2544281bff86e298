-- message_order.lua — assuming an order that two producers do not guarantee.
--
-- What it shows: producer A sends "account opened", producer B "first
-- deposit", on one mpsc channel, and the consumer assumes A's message comes
-- first. An mpsc channel keeps each sender's messages in order, but says
-- nothing about the order between senders. Under the default fixed schedule A
-- happens to send first; under others B does, and check(first is A) fails.
-- Which schedules break it: spindle-run --explore 1000 --strategy random (about
-- a third) or --strategy pct; the class reads "check failed: the account is
-- opened before the deposit (got 'B: first deposit' first)".
-- What to look at (in a failing schedule): on the "events" channel lane, B's
-- send tick comes before A's; the Log ends with the failed check.
-- The fix is message_order_fixed.lua: order what needs ordering explicitly.
scenario{
  name = "message_order",
  description = "A consumer assuming the order of two producers' messages",
  workers = 2,
  seed = 1,
}

local tx, rx = mpsc.channel(4, "events")
local tx_b = tx:clone()

spawn("producer A", function()
  tx:send("A: account opened")
  tx:drop()
end)
spawn("producer B", function()
  tx_b:send("B: first deposit")
  tx_b:drop()
end)
local first = rx:recv()
local second = rx:recv()
print(first, second)
check(first:sub(1, 1) == "A",
      "the account is opened before the deposit (got '" .. first .. "' first)")
