-- scoped_threads.lua — std::thread::scope: threads that borrow, and a scope that waits.
--
-- What it shows: the main task splits a table of 12 numbers into three chunks and
-- sums them in three scoped OS threads (thread.scope, like std::thread::scope):
-- each thread reads the caller's table directly — it may borrow it, because the
-- scope cannot end before every thread it started has ended. The chunks cost
-- different amounts of work, so the threads end at different times; the scope
-- returns only after the slowest one. (Had one of them panicked, the scope would
-- join the others and then panic itself.)
-- What to look at: the OS THREADS section has one lane per thread, each ending
-- (then idle) when its chunk is summed; the main task's lane and worker thread 0
-- are hatched "blocked: join on sum chunk N" until the slowest ends — joining a
-- thread blocks the caller, so that worker runs nothing else meanwhile (main is an
-- async task here; in Rust you would call thread::scope from a plain thread).
-- The Log prints the total.
scenario{
  name = "scoped_threads",
  description = "std::thread::scope: three threads borrow one table; the scope joins them all",
  workers = 2,
  seed = 1,
}

local data = {}
for i = 1, 12 do data[i] = i end

local total = thread.scope(function(s)
  local parts = {}
  for c = 0, 2 do
    parts[c + 1] = s:spawn("sum chunk " .. (c + 1), function()
      local sum = 0
      for i = c * 4 + 1, c * 4 + 4 do
        work(0.5 * (c + 1))   -- chunk 3 is the slow one
        sum = sum + data[i]   -- borrowed from the caller: safe inside a scope
      end
      return sum
    end)
  end
  local t = 0
  for _, h in ipairs(parts) do
    local ok, part = h:join()
    t = t + part
  end
  return t
end)
print("total", total)
check(total == 78, "the scoped threads summed every element")

