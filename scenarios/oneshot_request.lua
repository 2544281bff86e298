-- oneshot_request.lua — request/response with a oneshot reply channel.
--
-- What it shows: a key-value "actor" owns its state and serves requests from
-- an mpsc queue; every request carries a oneshot sender for its reply, the
-- pattern tokio's docs call "send a oneshot with the command". Three clients
-- ask concurrently; the actor answers them one at a time.
-- What to look at: the actor's lane is six separate slices, one per command
-- (a short storage wait, then 0.25 ms of work), one after another — never two
-- at once — while the "commands" queue holds the requests not yet served.
-- Under each client sit its own reply channels ("↳ set reply 1", "↳ get reply
-- 1"): each is created, receives its one value when the actor finishes that
-- command (the client's wait ends right there) and is marked "closed". The
-- replies come in a staircase, in queue order.
scenario{
  name = "oneshot_request",
  description = "An actor answering requests through oneshot reply channels",
  workers = 2,
  seed = 1,
}

local commands_tx, commands_rx = mpsc.channel(8, "commands")

spawn("actor", function()
  local store = {}
  for cmd in commands_rx:iter() do
    sleep(0.05)                                 -- each command starts with a storage access,
    work(0.25)                                  -- then costs CPU
    if cmd.op == "set" then
      store[cmd.key] = cmd.value
      cmd.reply:send(true)
    else
      cmd.reply:send(store[cmd.key] or "missing")
    end
  end
  print("queue closed, stopping")
end)

local clients = {}
for c = 1, 3 do
  local tx = commands_tx:clone()
  clients[c] = spawn("client " .. c, function()
    local reply_tx, reply_rx = oneshot.channel("set reply " .. c)
    tx:send({ op = "set", key = "k" .. c, value = c * 100, reply = reply_tx })
    assert(reply_rx:recv() == true)
    local get_tx, get_rx = oneshot.channel("get reply " .. c)
    tx:send({ op = "get", key = "k" .. c, reply = get_tx })
    local value = get_rx:recv()
    print(("k%d = %s"):format(c, tostring(value)))
    tx:drop()
    return value
  end)
end
commands_tx:drop()

for c = 1, 3 do
  local ok, value = clients[c]:join()
  assert(ok and value == c * 100, "client " .. c .. " got a wrong answer")
end
