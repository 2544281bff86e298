-- Item 6 variant: an unbounded crossbeam channel filled and never drained.
-- args: --max-heap-mb 128 --max-wall-ms 5000
-- exit: 4
-- message: out of memory
-- wall-ms: 10000
-- rss-mb: 500
local tx, rx = crossbeam.unbounded()
while true do tx:send(string.rep("x", 1000)) end
