-- Item 11: the same when timeout() ends the function: timeout raises it.
-- args: --max-wall-ms 1500
-- exit: 1
-- message: close_error_on_timeout.lua:8: boom in close
-- wall-ms: 3000
-- rss-mb: 200
print(timeout(1, function()
  local x <close> = setmetatable({}, {__close = function() error("boom in close") end})
  sleep(10)
end))
