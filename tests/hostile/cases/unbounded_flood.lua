-- Item 6: an unbounded channel flooded with numbers (held outside the Lua heap).
-- args: --max-heap-mb 128 --max-wall-ms 5000
-- exit: 4
-- message: out of memory
-- wall-ms: 10000
-- rss-mb: 400
local tx, rx = mpsc.unbounded()
for i = 1, 1e10 do tx:send(i) end
