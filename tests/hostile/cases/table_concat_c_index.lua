-- Item 2 variant: table.concat over 2^40 elements that a C function (type) makes.
-- args: --max-instructions 1000000 --max-wall-ms 4000
-- exit: 1
-- message: instruction budget exceeded
-- wall-ms: 8000
-- rss-mb: 300
table.concat(setmetatable({}, {__index = type, __len = function() return 2^40 end}))
