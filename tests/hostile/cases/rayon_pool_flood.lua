-- Rayon pools in a loop, each asking for more threads than a pool may have: a run has at
-- most 16 pools of at most 256 threads; the 17th is an error naming this line.
-- args: --max-wall-ms 5000
-- exit: 1
-- message: rayon_pool_flood.lua:9: too many Rayon pools (a run may have 16)
-- wall-ms: 10000
-- rss-mb: 500
for _ = 1, 100 do
  rayon.pool{ threads = 100000 }
end
