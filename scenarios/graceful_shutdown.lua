-- graceful_shutdown.lua — shutting down with a broadcast signal.
--
-- What it shows: three services each loop on select: a unit of work, or the
-- shutdown signal. When the coordinator broadcasts "shutdown", every service
-- finishes the item in hand, flushes, reports, and ends; the coordinator waits
-- for all of them through a completion channel that closes when the last one
-- drops its sender — tokio's graceful-shutdown recipe.
-- What to look at: at 2.5 ms the coordinator (main) sends "shutdown": one send
-- tick on the shutdown lane, and the message stays buffered there until the
-- services busy with an item have finished it and received it (service 2,
-- idle in its select, takes it at once). Each service then flushes and ends
-- (its diamond); main waits on "done" meanwhile, and the "done" lane is marked
-- "closed" when service 3, the last, drops its sender — main's wait ends there.
scenario{
  name = "graceful_shutdown",
  description = "Services stopping cleanly on a broadcast shutdown signal",
  workers = 3,
  seed = 1,
}

local shutdown_tx, shutdown_rx = broadcast.channel(1, "shutdown")
local done_tx, done_rx = mpsc.channel(1, "done")

for s = 1, 3 do
  local signal = s == 1 and shutdown_rx or shutdown_tx:subscribe()
  local done = done_tx:clone()
  spawn("service " .. s, function()
    local handled = 0
    while true do
      local branch = select({
        { recv = signal, name = "shutdown" },
        { sleep = s * 0.7, name = "next item" },
      })
      if branch == 1 then break end
      work(0.6)                               -- an item: the signal waits until it is done
      handled = handled + 1
    end
    work(0.2 * s)                             -- flush and report before stopping
    print(("stopping after %d items"):format(handled))
    done:drop()                               -- tells the coordinator we are done
  end)
end
done_tx:drop()

sleep(2.5)
print(("shutting down %d services"):format(shutdown_tx:send("shutdown")))
done_rx:recv()                                -- nil once every service dropped its sender
print("all services stopped")
