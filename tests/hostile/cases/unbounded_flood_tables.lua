-- Item 6 variant: the same with tables, each pinned for the channel.
-- args: --max-heap-mb 32 --max-wall-ms 5000
-- exit: 4
-- message: out of memory
-- wall-ms: 10000
-- rss-mb: 500
local tx, rx = mpsc.unbounded()
for i = 1, 1e10 do tx:send({}) end
