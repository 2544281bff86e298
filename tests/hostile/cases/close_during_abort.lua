-- Item 1: a <close> variable that spins (catching) while its task is aborted:
-- the task's instructions run out, the error is reported, not dropped, and the
-- aborted task ends as failed with it.
-- args: --max-instructions 5000000 --max-wall-ms 1500
-- exit: 1
-- message: close_during_abort.lua:11: instruction budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
local h = spawn("victim", function()
  local x <close> = setmetatable({}, {__close = function()
    while true do pcall(function() while true do end end) end
  end})
  sleep(10)
end)
sleep(1)
h:abort()
sleep(20)
