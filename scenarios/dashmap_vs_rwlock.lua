-- dashmap_vs_rwlock.lua — one global lock vs a sharded map, under the same load.
--
-- What it shows: eight tasks, like request handlers, each make 16 accesses to a
-- table of 32 keys — one in three a write — holding the lock for 0.2 ms of work
-- per access (cloning or updating the value) and awaiting 0.2 ms of I/O of their
-- own between accesses. Phase 1 keeps the table behind one `rwlock`, the
-- `RwLock<HashMap>` of the Rust reference: every write excludes every other
-- access, and tokio's fair lock makes the readers arriving behind a queued writer
-- wait too, so the tasks spend most of their time in one line. Phase 2 runs the
-- very same accesses on a `dashmap` of 8 shards: a write locks only its key's
-- shard, accesses to other shards go on beside it, and the few collisions wait
-- briefly. The Log prints each phase's duration: the sharded map does the same
-- work in well under half the time.
-- What to look at: under LOCKS AND SIGNALS, the "global table" lane in phase 1:
-- holds one after the other, with the queue under them several tasks deep (writers
-- queued in dark pink, readers behind them in blue) the whole phase; the task lanes
-- mostly "waiting: read/write on global table", and the worker lanes mostly parked
-- although eight tasks have work — they all wait for one lock. In phase 2 the eight
-- "sessions shard N" lanes show short holds spread over every shard, side by side,
-- with rare queues one or two tasks deep; the worker lanes are busy (their few
-- hatched slices: a task blocked briefly on a shard — DashMap's locks block the
-- thread, so keep its critical sections short). The Resources
-- table: the global lock's max waiters is several times any shard's.
scenario{
  name = "dashmap_vs_rwlock",
  description = "The same reads and writes on one global RwLock vs a DashMap of 8 shards",
  workers = 4,
  seed = 1,
}

local TASKS, OPS, KEYS = 8, 16, 32
local HOLD, BETWEEN = 0.2, 0.2 -- ms of work inside the lock, and of I/O between accesses

-- The same sequence of (key, is_write) for both phases.
local plan = {}
for t = 1, TASKS do
  plan[t] = {}
  for i = 1, OPS do plan[t][i] = { key = "k" .. rand(1, KEYS), write = rand(1, 3) == 1 } end
end

local function run_phase(label, access)
  local t0 = now()
  local tasks = {}
  for t = 1, TASKS do
    tasks[t] = spawn(label .. " " .. t, function()
      for _, op in ipairs(plan[t]) do
        access(op.key, op.write)
        sleep(BETWEEN)                          -- the request's own I/O, between accesses
      end
    end)
  end
  for _, h in ipairs(tasks) do h:join() end
  return now() - t0
end

-- Phase 1: RwLock<HashMap<K, V>> — one lock for the whole table.
local table_lock = rwlock("global table")
local values = {}
for k = 1, KEYS do values["k" .. k] = 0 end
local global_ms = run_phase("rwlock", function(key, write)
  if write then
    table_lock:with_write(function() work(HOLD) values[key] = values[key] + 1 end)
  else
    table_lock:with_read(function() work(HOLD) local _ = values[key] end)
  end
end)
print(("global rwlock: %.2f ms"):format(global_ms))

-- Phase 2: DashMap<K, V> — a lock per shard, the key picks the shard.
local sessions = dashmap.new("sessions", 8)
for k = 1, KEYS do sessions:insert("k" .. k, 0) end
local sharded_ms = run_phase("dashmap", function(key, write)
  if write then
    local g <close> = sessions:get_mut(key)
    work(HOLD)
    g:set(g:value() + 1)
  else
    local g <close> = sessions:get(key)
    work(HOLD)
  end
end)
print(("dashmap, 8 shards: %.2f ms"):format(sharded_ms))
print(("the sharded map took %.0f%% of the global lock's time"):format(100 * sharded_ms / global_ms))
