-- Item 6: mutexes kept in a table reached 2.1 GB.
-- args: --max-heap-mb 128 --max-wall-ms 5000
-- exit: 4
-- message: out of memory
-- wall-ms: 10000
-- rss-mb: 400
local keep = {}
for i = 1, 1e9 do keep[i] = mutex() end
