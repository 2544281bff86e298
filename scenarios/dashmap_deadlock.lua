-- dashmap_deadlock.lua — DashMap's guard trap: holding a get() while inserting.
--
-- What it shows: a "sessions" map sharded four ways (DashMap's design: one
-- reader-writer lock per shard, so tasks touching different shards never contend).
-- A "refresher" task reads a session with sessions:get(key) — the guard holds that
-- key's shard for reading — and, still holding it, inserts a derived key. When the
-- new key hashes to the same shard, the insert's write lock waits for the read lock
-- the same task holds: it can never be granted. DashMap's locks block the thread, so
-- the refresher's worker is stuck too, and a "reader" task that touches the same
-- shard blocks behind it, on the other worker. Drop the guard first (take the value
-- out, as `let v = map.get(&k).map(|r| *r)` does in Rust) and it completes.
-- What to look at: the run ends in a detected deadlock (exit 3) whose report names
-- the lock "sessions shard N" and the cycle refresher -> refresher; both worker
-- lanes are hatched "blocked: write/read on sessions shard N" to the end; the lock
-- lane shows the refresher's read hold and its own write request queued behind it.
scenario{
  name = "dashmap_deadlock",
  description = "DashMap: a get() guard held across an insert into the same shard deadlocks",
  workers = 2,
  seed = 1,
}

local sessions = dashmap.new("sessions", 4)
for i = 1, 8 do sessions:insert("user" .. i, { visits = i }) end

-- A derived key that lands on the same shard as "user3" (the trap needs that).
local target = sessions:shard_of("user3")
local derived
for i = 1, 100 do
  if sessions:shard_of("user3:copy" .. i) == target then derived = "user3:copy" .. i break end
end
print("user3 and " .. derived .. " share shard " .. target)

local refresher = spawn("refresher", function()
  work(0.5)
  local session = sessions:get("user3")      -- read guard on the shard: held...
  print("read user3: " .. session:value().visits .. " visits")
  work(0.5)
  sessions:insert(derived, { visits = 0 })   -- ...while this wants the same shard to write
  session:drop()
end)

local reader = spawn("reader", function()
  for i = 1, 8 do
    work(0.3)
    local g <close> = sessions:get("user" .. i)
    print("reader saw user" .. i)
  end
end)

refresher:join()
reader:join()
