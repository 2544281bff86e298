-- Item 2 variant: table.remove shifts down from a length that __len invents.
-- args: --max-instructions 0 --max-wall-ms 1500
-- exit: 4
-- message: wall-clock budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
table.remove(setmetatable({}, {__len = function() return 2^50 end}), 1)
