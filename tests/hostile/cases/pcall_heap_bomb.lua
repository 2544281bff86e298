-- Item 1: a heap bomb inside pcall, retried: the heap budget ends the run.
-- args: --max-heap-mb 64 --max-wall-ms 4000
-- exit: 4
-- message: out of memory (the heap budget of 64 MiB is spent
-- wall-ms: 8000
-- rss-mb: 300
while true do
  pcall(function() local t = {} for i = 1, 1e12 do t[i] = i end end)
end
