-- work_stealing.lua — stealing under an imbalanced spawn.
--
-- What it shows: one task spawns 32 CPU-bound jobs in a burst. They all land
-- in its own worker's local queue; the other three workers wake up, find
-- nothing of their own, and steal half of a busy queue at a time. Run it with
-- --policy global-queue to compare with one shared queue, or --workers 1.
-- What to look at: the steal marks on the idle workers' lanes and how quickly
-- all four lanes fill.
scenario{
  name = "work_stealing",
  description = "An imbalanced burst of jobs spread by work stealing",
  workers = 4,
  seed = 1,
}

local jobs = {}
for i = 1, 32 do
  jobs[i] = spawn("job " .. i, function()
    work(0.5 + (i % 4) * 0.25)
    return i
  end)
end
local sum = 0
for _, j in ipairs(jobs) do
  local _, v = j:join()
  sum = sum + v
end
print(("all 32 jobs done at %.3f ms (sum %d)"):format(now(), sum))
