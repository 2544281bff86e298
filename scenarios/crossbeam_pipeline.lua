-- crossbeam_pipeline.lua — an MPMC work queue drained by several OS threads.
--
-- What it shows: a producer thread pushes 24 jobs into a bounded crossbeam
-- channel (capacity 4). Three worker threads each hold a clone of the receiver
-- — crossbeam channels are multi-consumer: every job goes to exactly one of them,
-- whichever is free — and send results into an unbounded channel that a collector
-- thread sums. Dropping the last sender disconnects the channel, which ends every
-- worker's `for job in rx:iter()` loop; then their result senders drop and the
-- collector's loop ends too.
-- What to look at: the "jobs" channel lane fills to its capacity of 4 and the
-- producer's lane is hatched "blocked: send" while it is full (backpressure); the
-- three worker lanes in OS THREADS stay busy, each taking the next job as it
-- finishes one; each message wakes one waiting receiver, never all of them (select
-- a worker in the app to see its wake arrows). The collector's lane is hatched
-- while it waits for results. The Log prints how many jobs each worker took.
scenario{
  name = "crossbeam_pipeline",
  description = "crossbeam MPMC: one producer, three worker threads, one collector",
  workers = 2,
  seed = 3,
}

local jobs_tx, jobs_rx = crossbeam.bounded(4, "jobs")
local results_tx, results_rx = crossbeam.unbounded("results")

local producer = thread.spawn("producer", function()
  for i = 1, 24 do
    work(0.2)
    jobs_tx:send(i)
  end
  jobs_tx:drop()   -- disconnects: the workers' loops end once the queue is empty
end)

local workers = {}
for w = 1, 3 do
  local rx, tx = jobs_rx:clone(), results_tx:clone()
  workers[w] = thread.spawn("worker " .. w, function()
    local taken = 0
    for job in rx:iter() do
      work(1 + (job % 3) * 0.5)   -- uneven jobs
      tx:send(job * job)
      taken = taken + 1
    end
    tx:drop()
    return taken
  end)
end
jobs_rx:drop()
results_tx:drop()

local collector = thread.spawn("collector", function()
  local sum, n = 0, 0
  for r in results_rx:iter() do sum, n = sum + r, n + 1 end
  return sum, n
end)

producer:join()
local taken = 0
for w = 1, 3 do
  local ok, n = workers[w]:join()
  print("worker " .. w .. " took " .. n .. " jobs")
  taken = taken + n
end
local _, sum, n = collector:join()
print("results", n, "sum of squares", sum)
check(taken == 24 and n == 24, "every job was received exactly once")
check(sum == 4900, "sum of squares 1..24")
