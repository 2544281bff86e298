-- Item 6 variant: a Rayon join that forks itself forever — every level doubles the jobs.
-- args: --max-heap-mb 128 --max-wall-ms 5000
-- exit: 4
-- message: out of memory
-- wall-ms: 10000
-- rss-mb: 500
local function fork() return rayon.join(fork, fork) end
fork()
