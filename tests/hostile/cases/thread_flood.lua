-- Item 6 variant: OS threads spawned and left blocked (lanes are capped, frames counted).
-- args: --max-heap-mb 128 --max-wall-ms 5000
-- exit: 4
-- message: out of memory
-- wall-ms: 10000
-- rss-mb: 500
for i = 1, 1e9 do thread.spawn(function() thread.sleep(1e9) end) end
