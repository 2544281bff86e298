-- join_set.lua — tokio's JoinSet: results in the order tasks finish, not spawn order.
--
-- What it shows: a crawler spawns six fetches of different lengths into a join set
-- and handles each result as soon as it is ready (join_next), instead of awaiting
-- the handles in spawn order, where one slow fetch would hold up every result behind
-- it. After three results it has enough and calls abort_all(): the fetches still
-- running are cancelled (tokio's JoinSet aborts its tasks the same way when dropped).
-- What to look at: main's lane waits in a select over the set's tasks ("join" on each
-- of them) and wakes as each of the first three fetches ends — the shortest first;
-- the other three fetch lanes end as aborted (grey) at the same instant. The Log
-- prints the results in the order they came.
scenario{
  name = "join_set",
  description = "JoinSet: results as tasks finish; abort_all cancels the rest",
  workers = 2,
  seed = 1,
}

local durations = { 9, 3, 12, 5, 2, 15 }
local set = join_set()
for i, ms in ipairs(durations) do
  set:spawn("fetch " .. i, function()
    sleep(ms)
    work(0.2)
    return "page " .. i .. " (" .. ms .. " ms)"
  end)
end
print("spawned", set:len())

local got = 0
while got < 3 do
  local ok, page = set:join_next()
  got = got + 1
  print("got " .. page)
end
set:abort_all()
while not set:is_empty() do
  local ok, why = set:join_next()
  print("cancelled:", why)
end
check(got == 3, "handled the first three results")
