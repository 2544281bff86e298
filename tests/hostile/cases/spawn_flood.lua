-- Item 6 variant: tasks spawned and never run (their frames live outside Lua).
-- args: --max-heap-mb 128 --max-wall-ms 5000
-- exit: 4
-- message: out of memory
-- wall-ms: 10000
-- rss-mb: 500
for i = 1, 1e9 do spawn(function() sleep(1) end) end
