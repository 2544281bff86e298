-- Item 6 variant: crossbeam channels created in a loop and kept.
-- args: --max-heap-mb 128 --max-wall-ms 5000
-- exit: 4
-- message: out of memory
-- wall-ms: 10000
-- rss-mb: 500
local t = {}
for i = 1, 1e9 do local a, b = crossbeam.bounded(0) t[i] = a end
