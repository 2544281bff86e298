-- Item 2 variant: table.insert shifts up to a length that __len invents.
-- args: --max-instructions 5000000 --max-wall-ms 1500
-- exit: 1
-- message: instruction budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
table.insert(setmetatable({}, {__len = function() return 2^50 end}), 1, "x")
