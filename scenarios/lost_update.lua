-- lost_update.lua — a read-modify-write split by an .await.
--
-- What it shows: two deposits of 100 into one account. Each takes the lock,
-- reads the balance and lets the lock go, then awaits the audit log (a channel
-- of one slot that a slow auditor drains), then takes the lock again and writes
-- what it read plus 100. The Rust shape:
--     let b = { account.lock().await.balance };   // guard dropped here
--     audit.send(entry).await;                     // other tasks run here
--     account.lock().await.balance = b + 100;      // writes a stale value
-- Under the default fixed schedule the deposits happen to run one after the
-- other and the final check holds. Under other schedules the second deposit
-- reads while the first waits on the audit log: one deposit is lost, and
-- check(balance == 200) fails with "got 100".
-- Which schedules break it: spindle-run --explore 1000 --strategy random (about
-- half of them) or --strategy pct; open the shortest failing seed it prints.
-- What to look at (in a failing schedule): on the "account" lock lane, both
-- deposits' first holds (the reads) come before either's second hold (the
-- writes); the Log ends with "check failed: … balance == 200 (got 100)".
-- The fix is lost_update_fixed.lua: one critical section, no await inside it.
scenario{
  name = "lost_update",
  description = "Two deposits whose read and write are split by an await: one can be lost",
  workers = 1,
  seed = 1,
}

local account = { balance = 0 }
local lock = mutex("account")
local audit_tx, audit_rx = mpsc.channel(1, "audit")

spawn("auditor", function()
  for entry in audit_rx:iter() do
    work(0.01)  -- writing the entry somewhere slow
  end
end)
audit_tx:send("ledger opened")  -- the auditor has not taken it yet: the log is full

local deposits = {}
for i = 1, 2 do
  deposits[i] = spawn("deposit " .. i, function()
    local guard = lock:lock()
    local seen = account.balance  -- read
    guard:unlock()
    audit_tx:send("deposit " .. i .. " of 100")  -- .await: other tasks may run here
    guard = lock:lock()
    account.balance = seen + 100  -- write what was read, plus 100
    guard:unlock()
  end)
end
for _, d in ipairs(deposits) do d:join() end
audit_tx:drop()
print("balance " .. account.balance)
check(account.balance == 200, "balance == 200 (got " .. account.balance .. ")")
