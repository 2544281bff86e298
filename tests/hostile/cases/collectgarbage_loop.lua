-- Item 2 variant: full collections of a big heap in a loop, each one C work.
-- args: --max-instructions 2000000 --max-wall-ms 4000
-- exit: 1
-- message: instruction budget exceeded
-- wall-ms: 8000
-- rss-mb: 400
local t = {}
for i = 1, 2e5 do t[i] = {} end
while true do collectgarbage() end
