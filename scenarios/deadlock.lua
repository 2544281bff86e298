-- deadlock.lua — two mutexes taken in opposite order.
--
-- What it shows: the classic lock-order deadlock. "transfer a->b" holds
-- account a and wants b; "transfer b->a" holds b and wants a. Neither can
-- go on, nothing else can run, and the runtime stops with outcome "deadlock"
-- and a wait-for report naming both tasks, both mutexes and the cycle.
-- The expected outcome of this scenario is a detected deadlock (exit code 3).
-- What to look at: in the timeline, both transfers run 0.5 ms (each holding
-- its first lock), then ask for the second at 504 µs, where the run stops (a
-- red dashed line). Their waits go on past that line to the right edge,
-- hatched and marked "stuck"; both locks stay held past it too, hatched in
-- their holders' colours ("held by transfer b->a"). Red arrows show the cycle:
-- transfer a->b points into account b, held by transfer b->a, which points
-- into account a, held by transfer a->b. The note under the title names it
-- in one line
-- ("deadlock: transfer a->b ⇄ transfer b->a over account a, account b");
-- hover the stuck waits or the title for the full report. The Stage at the
-- end shows each lock held by one transfer and waited on by the other.
scenario{
  name = "deadlock",
  description = "Two tasks taking two mutexes in opposite order",
  workers = 2,
  seed = 1,
}

local account_a = mutex("account a")
local account_b = mutex("account b")

local function transfer(name, from, to)
  return spawn(name, function()
    local first <close> = from:lock()
    work(0.5)                 -- long enough for the other transfer to take its first lock
    local second <close> = to:lock()
    print(name .. ": done")   -- never reached
  end)
end

transfer("transfer a->b", account_a, account_b)
transfer("transfer b->a", account_b, account_a)
