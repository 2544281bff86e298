-- send_vs_local.lua — Send tasks move between workers; !Send tasks stay on their LocalSet's.
--
-- What it shows: eight tasks each do three rounds of uneven work with a sleep between
-- (an .await). In phase 1 they are ordinary `spawn`ed tasks — their futures are Send —
-- so after each sleep a task is polled by whichever worker is free: work stealing
-- and the global queue move it between threads ("migrations"), and the four workers
-- share the load. In phase 2 the same bodies keep an `Rc` (here: a table standing for
-- `Rc<RefCell<_>>`) alive across the sleep, which makes the future !Send: tokio's
-- `spawn` refuses it, so it goes on a `LocalSet` with `spawn_local`. A local task never
-- leaves the set's worker, whichever other worker is idle: phase 2 takes several
-- times as long (3.5x here).
-- What to look at: TASKS — phase 1's lanes carry migration notches ("thread 1 →
-- thread 3"), phase 2's lanes ("#… local") none; WORKER THREADS — four lanes busy in
-- phase 1, one lane doing everything in phase 2 while three park. `--summary-json`
-- gives each task's `migrations`. The Log prints both phases' durations.
scenario{
  name = "send_vs_local",
  description = "Send tasks migrate between workers; spawn_local pins !Send tasks to one",
  workers = 4,
  seed = 2,
}

local function body(i, shared)
  for round = 1, 3 do
    work(0.6 + (i + round) % 3 * 0.3)   -- uneven CPU work on whichever thread polls it
    shared.count = shared.count + 1
    sleep(0.3 + i % 2 * 0.4)             -- an .await: in phase 2 the Rc lives across it
  end
end

-- Phase 1: Send futures, spawned onto the multi-threaded runtime.
local start = now()
local handles = {}
for i = 1, 8 do
  handles[i] = spawn("send " .. i, function() body(i, { count = 0 }) end)
end
for i = 1, 8 do handles[i]:join() end
local phase1 = now() - start

-- Phase 2: each task keeps an Rc across its awaits: !Send, so spawn_local on a LocalSet.
start = now()
local ls = local_set("rc tasks")
for i = 1, 8 do
  local rc = { count = 0 }       -- Rc<RefCell<u32>>: not Send
  handles[i] = ls:spawn_local("local " .. i, function() body(i, rc) end)
end
for i = 1, 8 do handles[i]:join() end
local phase2 = now() - start

print(("Send tasks: %.1f ms on four workers; !Send tasks on %s: %.1f ms (%.1fx)")
      :format(phase1, tostring(ls), phase2, phase2 / phase1))
