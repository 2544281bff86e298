-- lifo_slot.lua — a woken task waits in the LIFO slot of a busy worker.
--
-- What it shows: when a task wakes another (here: sends it a message), tokio
-- puts the woken task in the waker's LIFO slot, to run next on the same thread
-- — a fast hand-off while the waker is about to wait anyway. But the slot is
-- not stealable, and filling an empty slot wakes no other thread. So when the
-- waker goes on computing, the woken task sits in the slot while the other
-- threads stay parked.
--   Round 1: the producer sends, then computes for 2 ms: each message waits
--            about 2 ms before the consumer runs.
--   Round 2: the producer calls yield_now() after each send. A yielding task
--            goes behind the one in the slot, so the consumer runs at once.
--   Round 3: the producer hands its computing to spawn_blocking; its own
--            thread is free for the consumer right away.
-- What to look at: on the stage during round 1, "consumer" in thread 0's LIFO
-- slot while threads 1-3 are parked; on the timeline, the consumer's lane
-- waiting "scheduled" for 2 ms each time in round 1 and not in rounds 2 and 3;
-- the printed hand-off delays.
scenario{
  name = "lifo_slot",
  description = "A woken task stuck in a busy worker's LIFO slot, and two ways out",
  workers = 4,
  seed = 1,
}

local ROUNDS, MESSAGES, COMPUTE_MS = 3, 4, 2

local tx, rx = mpsc.channel(1, "hand-off")

local consumer = spawn("consumer", function()
  local delays = {}
  for m in rx:iter() do
    local delay = now() - m.sent
    delays[m.round] = (delays[m.round] or 0) + delay
    print(("round %d, message %d: ran %.3f ms after the send"):format(m.round, m.n, delay))
    work(0.1)
  end
  return delays
end)

local function compute()
  work(COMPUTE_MS)
end

spawn("producer", function()
  for round = 1, ROUNDS do
    for n = 1, MESSAGES do
      tx:send({ round = round, n = n, sent = now() })
      if round == 2 then
        yield_now()                              -- give way: the consumer runs first
      end
      if round == 3 then
        spawn_blocking("compute", compute):join() -- off the async threads
      else
        compute()                                -- keeps this thread busy
      end
    end
    sleep(1)  -- a gap between rounds on the timeline
  end
  tx:drop()
end)

local ok, delays = consumer:join()
for round = 1, ROUNDS do
  print(("round %d: %.3f ms waited in all"):format(round, delays[round] or 0))
end
