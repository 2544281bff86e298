-- lock_order_sometimes.lua — two locks taken in opposite order, a deadlock that
-- needs the wrong interleaving.
--
-- What it shows: "transfer a->b" locks account a, awaits something (a log
-- write, here yield_now), then locks account b; "transfer b->a" locks b, then
-- a. If one transfer gets both locks before the other starts, all is well —
-- and under the default fixed schedule it does: b->a, spawned last, sits in the
-- LIFO slot and runs first. If a->b takes a and then b->a runs during its
-- await, each holds what the other wants: a deadlock, exit 3.
-- Which schedules break it: spindle-run --explore 1000 --strategy random (about
-- a quarter) or --strategy pct; the class reads "deadlock: transfer a->b ⇄
-- transfer b->a over account a, account b".
-- What to look at (in a deadlocking schedule): the two waits hatched "stuck"
-- past the run's end, both locks still held, red arrows from each waiter into
-- the lock it wants. The fix is lock_order_sometimes_fixed.lua: one lock order.
scenario{
  name = "lock_order_sometimes",
  description = "Opposite lock order that deadlocks only in some interleavings",
  workers = 1,
  seed = 1,
}

local a, b = mutex("account a"), mutex("account b")

local t1 = spawn("transfer a->b", function()
  local ga = a:lock()
  yield_now()  -- an await while holding a
  local gb = b:lock()
  gb:unlock()
  ga:unlock()
end)
local t2 = spawn("transfer b->a", function()
  local gb = b:lock()
  local ga = a:lock()
  ga:unlock()
  gb:unlock()
end)
t1:join()
t2:join()
print("both transfers done")
