-- broadcast_bus.lua — one publisher, subscribers of different speeds.
--
-- What it shows: a publisher sends 20 events on a broadcast channel that
-- retains 4. The fast subscriber (a little CPU per event) keeps up; the slow
-- one spends 1 ms of CPU and then 2 ms of waiting (writing it somewhere slow)
-- per event, falls more than 4 behind, gets "lagged" with the number of events
-- it missed, and resumes at the oldest one still retained — so received +
-- lagged = sent for everyone.
-- What to look at: the bus's buffer filling up to its capacity 4 (the lag
-- triangles on its top edge); on the slow subscriber's lane, its 1 ms work
-- blocks between "sleep" waits and an orange "lagged 2" chip (ending at a
-- triangle) each time it fell behind — 2+2+2+2+1 = 9 skipped, 11 received.
scenario{
  name = "broadcast_bus",
  description = "A broadcast bus; the slow subscriber lags and skips",
  workers = 3,
  seed = 1,
}

local bus, first = broadcast.channel(4, "bus")

local function subscriber(name, rx, handle)
  return spawn(name, function()
    local received, lagged = 0, 0
    while true do
      local event, err, n = rx:recv()
      if event ~= nil then
        received = received + 1
        handle()
      elseif err == "lagged" then
        lagged = lagged + n
        print(("lagged: skipped %d events"):format(n))
      else
        break                                  -- "closed": the publisher is gone
      end
    end
    print(("received %d, lagged %d"):format(received, lagged))
    return received + lagged
  end)
end

local fast = subscriber("fast", first, function() work(0.2) end)
local slow = subscriber("slow", bus:subscribe(), function() work(1); sleep(2) end)

spawn("publisher", function()
  for i = 1, 20 do
    bus:send({ seq = i })
    sleep(1)
  end
  bus:drop()
end)

local _, fast_total = fast:join()
local _, slow_total = slow:join()
print(("both accounted for every event: fast %d, slow %d"):format(fast_total, slow_total))
