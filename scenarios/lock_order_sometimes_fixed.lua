-- lock_order_sometimes_fixed.lua — lock_order_sometimes.lua with one lock order.
--
-- What it shows: both transfers take account a before account b, whatever the
-- direction of the money, so neither can hold one lock while waiting for the
-- other's: the second transfer waits on a, holding nothing. Every schedule
-- completes: spindle-run --explore 1000 --strategy random (or pct) finds one
-- class, "completed".
-- What to look at: on the "account a" lock lane one transfer holds, the other
-- queues (the step under the lane), then takes it.
scenario{
  name = "lock_order_sometimes_fixed",
  description = "Both transfers take the locks in one order: no deadlock in any schedule",
  workers = 1,
  seed = 1,
}

local a, b = mutex("account a"), mutex("account b")

local function transfer(name)
  return spawn(name, function()
    local ga = a:lock()  -- always a first
    yield_now()
    local gb = b:lock()
    gb:unlock()
    ga:unlock()
  end)
end
local t1 = transfer("transfer a->b")
local t2 = transfer("transfer b->a")
t1:join()
t2:join()
print("both transfers done")
