-- select_race.lua — requests racing a timeout.
--
-- What it shows: a client sends eight requests to a backend whose response
-- time varies; each reply is awaited in a select against a 12 ms timer. When
-- the timer wins, the pending receive is cancelled without effect and the late
-- reply is discarded, as tokio::select! does.
-- What to look at: on main's lane, each select is bracketed underneath and ends
-- in a flag naming the winning branch — orange "timeout" for requests 1–4,
-- green "reply" for 5–8 — with a red cross for the loser cancelled (the
-- receive dropped, or the 12 ms timer cancelled). On the reply 1–4 channel
-- lanes, a bar where main gave up and dropped the receiver, dotted to a hollow
-- red "late" mark where the handler's reply arrived to nobody; reply 5–8 show
-- their message sent and received. Hover a flag for the branches and their fate.
scenario{
  name = "select_race",
  description = "Requests racing a 12 ms timeout; the losing branch is cancelled",
  workers = 2,
  seed = 7,
}

local requests_tx, requests_rx = mpsc.channel(4, "requests")

spawn("backend", function()
  for req in requests_rx:iter() do
    spawn("handler " .. req.id, function()
      sleep(req.cost)                       -- the backend takes its time
      req.reply:send("response " .. req.id) -- false if the client gave up
    end)
  end
end)

local ok_count, timed_out = 0, 0
for id = 1, 8 do
  local reply_tx, reply_rx = oneshot.channel("reply " .. id)
  local cost = rand(3, 20)
  requests_tx:send({ id = id, cost = cost, reply = reply_tx })
  local branch, value = select({
    { recv = reply_rx, name = "reply" },
    { sleep = 12, name = "timeout" },
  })
  if branch == 1 then
    ok_count = ok_count + 1
    print(("request %d: %s after %.0f ms"):format(id, value, cost))
  else
    timed_out = timed_out + 1
    print(("request %d: timed out (backend needed %.0f ms)"):format(id, cost))
    reply_rx:drop()                         -- the late reply will find nobody
  end
end
requests_tx:drop()
print(("%d answered, %d timed out"):format(ok_count, timed_out))
