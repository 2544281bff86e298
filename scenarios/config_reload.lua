-- config_reload.lua — watch-based configuration reload.
--
-- What it shows: a config loader publishes new versions on a watch channel;
-- three servers wait on changed() and always pick up the latest version.
-- Versions published faster than a busy server looks are coalesced: it skips
-- straight to the newest, which is what watch is for.
-- What to look at: the config lane names each version published (v2–v6, the
-- initial value being v1); each server's lane has a dark tick and a "vN" chip
-- where it picked a version up. Servers a and b see v2, v3, v4, v5, v6; the
-- slow server c, busy 7 ms per version, sees only v2, then "v5 · skipped v3–v4"
-- (in red), then v6.
scenario{
  name = "config_reload",
  description = "A watch channel pushing config versions to servers of different speeds",
  workers = 3,
  seed = 1,
}

local config_tx, config_rx = watch.channel({ version = 1, limit = 10 }, "config")

local function server(name, rx, busy)
  return spawn(name, function()
    local seen = 0
    while rx:changed() do                      -- false once the loader is gone
      local cfg = rx:borrow()
      seen = seen + 1
      print(("now on version %d (limit %d)"):format(cfg.version, cfg.limit))
      work(busy)                               -- serving traffic with this config
    end
    return seen
  end)
end

local servers = {
  server("server a", config_rx, 0.5),
  server("server b", config_tx:subscribe(), 0.5),
  server("server c (slow)", config_tx:subscribe(), 7),
}
config_rx = nil

spawn("loader", function()
  for version = 2, 6 do
    sleep(2)
    config_tx:send({ version = version, limit = version * 10 })
  end
  sleep(1)
  config_tx:drop()
end)

for _, s in ipairs(servers) do
  local _, seen = s:join()
  print(("%s saw %d of 5 updates"):format(s:name(), seen))
end
