-- blocking_recv_in_async.lua — a crossbeam recv inside an async task stalls its worker.
--
-- What it shows: a two-worker runtime. An async task "bridge" waits for a message
-- from an OS thread with crossbeam's rx:recv() — a blocking call, not an .await:
-- it blocks the worker thread it runs on until the message comes, 15 ms later.
-- For those 15 ms the runtime has lost half its workers: eight short async "tick"
-- tasks spawned meanwhile all queue on the one worker left and take twice as long
-- as they should. The fix is the same as for any blocking call: run it with
-- spawn_blocking (the second phase), or use an async channel (tokio's mpsc).
-- What to look at: worker "thread 0" is hatched "blocked: recv on results 1" for
-- 15 ms in phase one — its poll never ends, but nothing runs there; the ticks
-- queue (yellow) and run one after another on thread 1. In phase two the recv
-- blocks a "blocking 0" lane instead, and the ticks spread over both workers.
-- The Log prints how long the ticks took in each phase (4 ms, then 2 ms).
scenario{
  name = "blocking_recv_in_async",
  description = "crossbeam recv in async code blocks a worker; spawn_blocking does not",
  workers = 2,
  seed = 2,
}

local function phase(label, use_blocking_pool)
  local tx, rx = crossbeam.bounded(1, use_blocking_pool and "results 2" or "results 1")
  thread.spawn("producer thread", function()
    thread.sleep(15)
    tx:send(label .. " done")
  end)
  local started = now()
  local bridge
  if use_blocking_pool then
    bridge = spawn_blocking("bridge (spawn_blocking)", function() return rx:recv() end)
  else
    bridge = spawn("bridge (recv in async)", function() return rx:recv() end)
  end
  yield_now()   -- let the bridge start and block before the ticks are spawned
  local ticks = {}
  for i = 1, 8 do
    local spawned = now()
    ticks[i] = spawn("tick " .. i, function() work(0.5) return now() - spawned end)
  end
  local worst = 0
  for i = 1, 8 do
    local _, ran = ticks[i]:join()
    if ran > worst then worst = ran end
  end
  local _, msg = bridge:join()
  print(string.format("%s: %s, ticks finished within %.1f ms", label, msg, worst))
  return now() - started
end

phase("phase 1 (recv in async)", false)
phase("phase 2 (spawn_blocking)", true)
