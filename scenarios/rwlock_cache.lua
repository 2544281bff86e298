-- rwlock_cache.lua — an RwLock-protected cache.
--
-- What it shows: six readers look values up in a shared cache while a
-- refresher rewrites it now and then. Readers share the lock; the writer
-- waits for them to leave, and while it waits, new readers queue behind it —
-- tokio's RwLock is fair, so the writer is never starved.
-- What to look at: several readers holding the lock at once, the writer's
-- wait, and the readers queued behind the writer.
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
