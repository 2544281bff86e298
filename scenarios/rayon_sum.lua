-- rayon_sum.lua — a parallel iterator over 10,000 items: splitting and stealing.
--
-- What it shows: `rayon.par_iter(items):map(f):sum()` on a pool of four threads.
-- Rayon does not cut the work into four equal parts up front: the first thread
-- splits the range in halves, keeps the left half and pushes the right half onto
-- its own deque, again and again, while idle threads steal the oldest (largest)
-- piece from another thread's deque. A stolen piece splits further (Rayon's
-- adaptive splitter resets its split count after a steal), so the tree follows the
-- load. The items are uneven: the first 2,000 cost five times as much, so the
-- threads that drew them keep splitting and the others steal from them.
-- What to look at: RAYON POOLS — four lanes busy to nearly the same end time; the
-- steal notches where an idle thread took a piece; TASKS — one job per piece,
-- named by its item range ("sum 5001..10000"), nested like the fork-join tree.
-- The async `main` task's worker is hatched "blocked": the sum is a blocking call
-- from async code (see rayon_in_async.lua). The Log checks the sum against the
-- sequential one.
scenario{
  name = "rayon_sum",
  description = "rayon par_iter over 10,000 items: splitting and stealing",
  workers = 4,
  seed = 1,
}

local items = {}
for i = 1, 10000 do items[i] = i end

local function cost(x)
  work(0.002)   -- 2 µs of CPU per item
  return x * x % 97
end

local parallel = rayon.par_iter(items):map(cost):sum()

local sequential = 0
for i = 1, #items do sequential = sequential + items[i] * items[i] % 97 end
check(parallel == sequential, "par_iter sum equals the sequential sum")
print(("sum = %d (sequential %d) on %d threads"):format(parallel, sequential,
      rayon.current_num_threads()))
