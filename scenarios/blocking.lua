-- blocking.lua — blocking inside async code vs spawn_blocking.
--
-- What it shows: a single-worker runtime (like tokio's current_thread flavor)
-- and two "tickers" that should wake every millisecond. First, a task does
-- 20 ms of blocking work directly on the async worker (work() occupies the
-- worker like a blocking call would): every tick waits behind it. Then the
-- same job goes through spawn_blocking, onto a separate blocking-pool thread:
-- the worker stays free and the ticks keep their rhythm.
-- What to look at: in the first phase the one worker runs "blocking in async"
-- for 20 ms while both tickers sit queued (yellow) behind it; in the second the
-- job runs on the "blocking 0" lane that appears for it and the tickers keep
-- waking every millisecond (the ticks on their lanes). The Log prints the tick
-- latencies of each phase.
scenario{
  name = "blocking",
  description = "Blocking work on an async worker vs on the blocking pool",
  workers = 1,
  seed = 1,
}

local function ticker(label, count)
  return spawn(label, function()
    local worst = 0
    for _ = 1, count do
      local before = now()
      sleep(1)
      local late = now() - before - 1
      if late > worst then worst = late end
    end
    return worst
  end)
end

local function phase(label, run_job)
  local tickers = { ticker(label .. " tick a", 30), ticker(label .. " tick b", 30) }
  sleep(2)
  run_job()
  local worst = 0
  for _, t in ipairs(tickers) do
    local _, w = t:join()
    if w > worst then worst = w end
  end
  print(("%s: worst tick delay %.3f ms"):format(label, worst))
end

phase("in async", function()
  spawn("blocking in async", function() work(20) end):join()
end)

phase("spawn_blocking", function()
  spawn_blocking("blocking job", function() work(20) end):join()
end)
