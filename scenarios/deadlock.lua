-- deadlock.lua — two mutexes taken in opposite order.
--
-- What it shows: the classic lock-order deadlock. "transfer a->b" holds
-- account a and wants b; "transfer b->a" holds b and wants a. Neither can
-- go on, nothing else can run, and the runtime stops with outcome "deadlock"
-- and a wait-for report naming both tasks, both mutexes and the cycle.
-- The expected outcome of this scenario is a detected deadlock (exit code 3).
-- What to look at: the two tasks waiting forever, each on the lock the other
-- holds, and the cycle in the report.
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
