-- rwlock_cache.lua — an RwLock-protected cache.
--
-- What it shows: six readers look values up in a shared cache — each lookup
-- holds the read lock for 1 ms (0.2 ms of work, then an await of the backing
-- store) — while a refresher rewrites the cache four times. Readers share the
-- lock. tokio's RwLock is fair: the writer waits for the readers holding it to
-- leave, and readers that arrive while it waits queue behind it, so the writer
-- is never starved; when it releases, the queued readers enter together.
-- What to look at: the "cache" lane under LOCKS AND SIGNALS. Stacked colour
-- rows are readers holding the lock at once, the peak written above ("6
-- readers"); each outlined "refresher" block is a write hold, alone. Under it
-- the queue step: before each write hold the writer waits (the dark-pink base)
-- and later readers stack on top of it in blue, counted; right after the block,
-- the readers it held back hold the lock together. In the task lanes the
-- refresher waits on "write", the queued readers on "read on cache". Stage at
-- 7.4 ms: reader 2 and reader 6 reading, refresher (write) and reader 5 waiting;
-- at 8 ms: refresher writing, four readers waiting.
scenario{
  name = "rwlock_cache",
  description = "Readers sharing an RwLock while a writer refreshes the cache",
  workers = 4,
  seed = 1,
}

local cache = rwlock("cache")
local data = { generation = 0 }

local readers = {}
for r = 1, 6 do
  readers[r] = spawn("reader " .. r, function()
    local hits = 0
    for _ = 1, 12 do
      cache:with_read(function()
        work(0.2)                             -- a lookup while holding the read lock...
        sleep(0.8)                            -- ...that awaits the backing store
        hits = hits + 1
      end)
      sleep(rand(1, 3) * 0.4)
    end
    return hits
  end)
end

spawn("refresher", function()
  for gen = 1, 4 do
    sleep(2.5)
    local guard <close> = cache:write()
    work(1)                                   -- rebuilding the cache
    data.generation = gen
    print(("cache generation %d"):format(gen))
  end
end)

local total = 0
for _, r in ipairs(readers) do
  local _, hits = r:join()
  total = total + hits
end
print(("readers made %d lookups; cache at generation %d"):format(total, data.generation))
