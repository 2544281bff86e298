-- lost_wakeup_fixed.lua — lost_wakeup.lua with notify_one().
--
-- What it shows: the same waiter and setter, but the setter calls notify_one(),
-- which stores a permit when nobody waits yet; a notified() that comes later
-- takes it at once. (tokio's docs recommend exactly this for a single waiter.)
-- Every schedule completes: spindle-run --explore 1000 --strategy random (or
-- pct) finds one class, "completed".
-- What to look at: in a schedule where the setter runs first, the waiter's wait
-- on "ready" ends the instant it starts.
scenario{
  name = "lost_wakeup_fixed",
  description = "notify_one stores a permit, so a late waiter still wakes",
  workers = 1,
  seed = 1,
}

local state = { ready = false }
local ready = notify("ready")

local waiter = spawn("waiter", function()
  if not state.ready then
    yield_now()
    ready:notified()  -- takes the stored permit if the notification came first
  end
  print("waiter saw ready")
end)
local setter = spawn("setter", function()
  state.ready = true
  ready:notify_one()  -- wakes the waiter, or stores a permit for it
end)
waiter:join()
setter:join()
