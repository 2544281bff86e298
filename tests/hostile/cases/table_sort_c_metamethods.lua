-- Item 2 variant: table.sort over 2^31 elements read and written by C functions:
-- no Lua instruction runs, only calls, which the watchdog's hook reaches.
-- args: --max-wall-ms 1500
-- exit: 4
-- message: wall-clock budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
table.sort(setmetatable({}, {__len = function() return 2^31 - 2 end, __index = type,
                             __newindex = type}))
