-- backpressure.lua — bounded vs unbounded channels under a fast producer.
--
-- What it shows: the same fast producer and slow consumer, twice. With a
-- bounded channel (capacity 4) the producer is held back: the buffer never
-- exceeds 4 and the producer spends its time waiting on send. With an
-- unbounded channel the producer races ahead and the buffer grows to hold
-- almost everything — memory, not time, absorbs the difference.
-- What to look at: the two buffer graphs ("bounded" capped at 4, "unbounded"
-- climbing), and the producers' wait time on send. Part of that wait is not the
-- channel's: once a slot frees, the bounded producer is ready but sits in thread
-- 1's LIFO slot until the consumer's poll (four slow items) ends — the LIFO slot
-- is never stolen from, so thread 0 stays parked meanwhile. `spindle --export
-- out.png --critical-path main` draws that path in red.
scenario{
  name = "backpressure",
  description = "A fast producer against a slow consumer, bounded and unbounded",
  workers = 2,
  seed = 1,
}

local ITEMS = 30

local function pipeline(label, tx, rx)
  local start = now()
  local producer = spawn(label .. " producer", function()
    for i = 1, ITEMS do
      work(0.05)                               -- producing is cheap
      tx:send(i)
    end
    tx:drop()
  end)
  local consumer = spawn(label .. " consumer", function()
    local n = 0
    for _ in rx:iter() do
      work(0.4)                                -- consuming is slow
      n = n + 1
    end
    return n
  end)
  local _, n = consumer:join()
  producer:join()
  print(("%s: consumer handled %d items in %.3f ms"):format(label, n, now() - start))
end

pipeline("bounded", mpsc.channel(4, "bounded"))
pipeline("unbounded", mpsc.unbounded("unbounded"))
