-- Item 11: an error raised by a <close> variable of an aborted task was dropped.
-- Now the task ends as failed with it (tokio: a panic in a cancelled future's drop
-- is JoinError::Panic), so the run fails.
-- args: --max-wall-ms 1500
-- exit: 1
-- message: close_error_on_abort.lua:10: boom in close (raised by a <close> variable as the task was aborted)
-- wall-ms: 3000
-- rss-mb: 200
local h = spawn("victim", function()
  local x <close> = setmetatable({}, {__close = function() error("boom in close") end})
  sleep(10)
end)
sleep(1)
h:abort()
sleep(20)
