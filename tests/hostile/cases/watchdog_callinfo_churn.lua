-- Item 2, found by the scenario fuzz target: deep calls returning and the collector
-- shrinking the Lua thread's call list while the wall clock runs out, with no
-- instruction budget. The watchdog once set its hook from its own thread and walked
-- that list as it was freed (a crash, some runs in a million); now the thread that
-- runs Lua sets it, interrupted by a signal. Each run ends at the wall clock.
-- args: --max-instructions 0 --max-wall-ms 300
-- exit: 4
-- message: wall-clock budget exceeded
-- wall-ms: 1500
-- rss-mb: 200
local function down(n)
  if n > 0 then return 1 + down(n - 1) end
  return 0
end
for t = 1, 4 do
  spawn("churn " .. t, function()
    while true do
      for _ = 1, 20 do
        down(120)
        collectgarbage("step", 1)
      end
      yield_now()
    end
  end)
end
