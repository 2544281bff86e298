-- lost_update_fixed.lua — lost_update.lua with the read and the write in one
-- critical section.
--
-- What it shows: the same two deposits, auditor and audit log, but each deposit
-- reads and writes the balance under one lock hold, and awaits the audit log
-- only after letting the lock go — nothing can run between its read and its
-- write. The Rust shape:
--     { let mut a = account.lock().await; a.balance += 100; }  // guard dropped
--     audit.send(entry).await;
-- Every schedule ends with balance 200: spindle-run --explore 1000 --strategy
-- random (or pct) finds a single outcome class, "completed".
-- What to look at: on the "account" lock lane each deposit holds the lock once;
-- the deposits' waits on "audit" come after their holds.
scenario{
  name = "lost_update_fixed",
  description = "The deposits read and write under one lock hold: no update is lost",
  workers = 1,
  seed = 1,
}

local account = { balance = 0 }
local lock = mutex("account")
local audit_tx, audit_rx = mpsc.channel(1, "audit")

spawn("auditor", function()
  for entry in audit_rx:iter() do
    work(0.01)
  end
end)
audit_tx:send("ledger opened")

local deposits = {}
for i = 1, 2 do
  deposits[i] = spawn("deposit " .. i, function()
    local guard = lock:lock()
    account.balance = account.balance + 100  -- read and write, one hold
    guard:unlock()
    audit_tx:send("deposit " .. i .. " of 100")  -- the await comes after
  end)
end
for _, d in ipairs(deposits) do d:join() end
audit_tx:drop()
print("balance " .. account.balance)
check(account.balance == 200, "balance == 200 (got " .. account.balance .. ")")
