-- Item 2: a result larger than the heap budget fails at once.
-- args: --max-heap-mb 64 --max-wall-ms 1500
-- exit: 4
-- message: string_rep_huge.lua:7: out of memory
-- wall-ms: 3000
-- rss-mb: 300
local s = string.rep("x", 2^52)
