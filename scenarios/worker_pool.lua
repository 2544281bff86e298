-- worker_pool.lua — a pool of workers fed by a bounded job queue.
--
-- What it shows: a producer pushes 24 jobs into a queue that holds only 4,
-- four workers take jobs from it (they share the receiver through a mutex, as
-- Rust code shares an Arc<Mutex<Receiver>>), and results flow back on a second
-- channel to a collector. Each job parses, waits on I/O, then computes: while
-- one worker waits, others run, so the jobs overlap.
-- What to look at: the "jobs" channel sits full while the workers are busy —
-- the producer waits on send (backpressure); each worker's lane fills with its
-- jobs; the "results" channel drains as fast as the collector can sum. The
-- "job queue" lock lane shows one worker at a time holding the shared
-- receiver: at the start the others queue behind it (the step under the lane),
-- later each hold is a thin mark in the taker's colour.
scenario{
  name = "worker_pool",
  description = "Bounded job queue feeding four workers; results gathered on a second channel",
  workers = 4,
  seed = 1,
}

local JOBS, WORKERS = 24, 4

local jobs_tx, jobs_rx = mpsc.channel(4, "jobs")
local results_tx, results_rx = mpsc.channel(8, "results")
local queue = mutex("job queue")

for w = 1, WORKERS do
  local results = results_tx:clone()
  spawn("worker " .. w, function()
    while true do
      local job
      do
        local guard <close> = queue:lock()
        job = jobs_rx:recv()
      end
      if job == nil then break end
      work(0.1)                             -- parse the job
      sleep(0.4 + (job % 3) * 0.3)          -- wait on I/O (a database, a disk)
      work(0.15)                            -- compute the result
      results:send({ job = job, by = w, value = job * job })
    end
    results:drop()
  end)
end
results_tx:drop()   -- only the workers' clones keep "results" open

spawn("producer", function()
  for job = 1, JOBS do
    jobs_tx:send(job)                       -- waits while the queue is full
  end
  jobs_tx:drop()                            -- closing the queue stops the workers
  print("all " .. JOBS .. " jobs queued")
end)

local total, count = 0, 0
for r in results_rx:iter() do
  total = total + r.value
  count = count + 1
end
print(("%d results, sum of squares %d"):format(count, total))
