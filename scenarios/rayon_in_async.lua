-- rayon_in_async.lua — a Rayon parallel iterator called from async code, and the fix.
--
-- What it shows: a tokio runtime with two workers runs a heartbeat task that should
-- tick every 0.5 ms, and request handlers that each sum 4,000 items with
-- `rayon.par_iter`. A Rayon call is a blocking call: the async task that makes it
-- keeps its worker until the whole parallel sum is done, so nothing else queued on
-- that worker runs. In phase 1 two handlers call `par_iter` directly: both workers
-- are held, the heartbeat's ticks come late. In phase 2 each handler moves the same
-- call into `spawn_blocking` and awaits it: the handlers park at an .await, the
-- workers stay free and the heartbeat keeps time. The Rayon pool does the same
-- work in both phases.
-- What to look at: WORKER THREADS — in phase 1 both lanes are hatched "blocked:
-- join on sum 1..4000" (the held workers; the run's hints name both handlers) and
-- the heartbeat's lane shows a long queued (yellow) gap; in phase 2 the hatching
-- moves to the BLOCKING THREADS lanes, the workers stay free and the heartbeat's
-- polls are evenly spaced. RAYON POOLS shows the same sums in both phases. The Log
-- prints the worst heartbeat delay of each phase.
scenario{
  name = "rayon_in_async",
  description = "rayon par_iter inside async code blocks workers; spawn_blocking fixes it",
  workers = 2,
  seed = 1,
}

local items = {}
for i = 1, 4000 do items[i] = i end
local function parallel_sum()
  return rayon.par_iter(items):map(function(x) work(0.002) return x end):sum()
end

local worst = { 0, 0 }
local phase = 1
local heartbeat = spawn("heartbeat", function()
  local next_tick = now()
  for _ = 1, 40 do
    next_tick = next_tick + 0.5
    sleep(math.max(0, next_tick - now()))
    worst[phase] = math.max(worst[phase], now() - next_tick)
  end
end)

-- Phase 1: the blocking call right in the async handler.
local handlers = {}
for i = 1, 2 do
  handlers[i] = spawn("handler " .. i, function() return parallel_sum() end)
end
for i = 1, 2 do handlers[i]:join() end
print(("phase 1 (par_iter in async): heartbeat up to %.2f ms late"):format(worst[1]))

-- Phase 2: the same call moved to the blocking pool; the handler awaits it.
phase = 2
for i = 1, 2 do
  handlers[i] = spawn("handler " .. i .. " (fixed)", function()
    local ok, sum = spawn_blocking("sum " .. i, parallel_sum):join()
    return sum
  end)
end
for i = 1, 2 do handlers[i]:join() end
heartbeat:join()
print(("phase 2 (spawn_blocking): heartbeat up to %.2f ms late"):format(worst[2]))
