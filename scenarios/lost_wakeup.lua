-- lost_wakeup.lua — Notify::notify_waiters stores no permit.
--
-- What it shows: a waiter checks a flag, finds it unset, and then — after an
-- await in between (here yield_now) — waits on a Notify. A setter sets the flag
-- and calls notify_waiters(), which wakes only the tasks waiting at that moment
-- and stores nothing. Under the default fixed schedule the waiter is already
-- waiting when the notification goes out. If the setter runs between the
-- waiter's check and its notified(), the notification is lost and the waiter
-- sleeps forever: the run ends in a deadlock (exit 3) with no cycle — nobody
-- holds anything, nothing can wake it.
-- Which schedules break it: spindle-run --explore 1000 --strategy random (about
-- a quarter) or --strategy pct; the class reads "deadlock: waiter waits in
-- notified on ready, which nothing can wake".
-- What to look at (in a failing schedule): the setter's short slice and its
-- release mark on the "ready" lane come before the waiter's wait starts; the
-- waiter's wait is hatched "stuck" to the right edge.
-- The fix is lost_wakeup_fixed.lua: notify_one() stores a permit.
scenario{
  name = "lost_wakeup",
  description = "A notification sent before the waiter registers is lost",
  workers = 1,
  seed = 1,
}

local state = { ready = false }
local ready = notify("ready")

local waiter = spawn("waiter", function()
  if not state.ready then
    yield_now()       -- an await between the check and the registration
    ready:notified()  -- too late if the notification already went out
  end
  print("waiter saw ready")
end)
local setter = spawn("setter", function()
  state.ready = true
  ready:notify_waiters()  -- wakes only the tasks waiting now; stores nothing
end)
waiter:join()
setter:join()
