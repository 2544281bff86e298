-- Item 2: next() sorts the keys on every call; in a loop over a big table no
-- hook was reached for minutes. Its work is charged now.
-- args: --max-instructions 2000000 --max-wall-ms 4000
-- exit: 1
-- message: next_loop.lua:10: instruction budget exceeded
-- wall-ms: 8000
-- rss-mb: 300
local t = {}
for i = 1, 20000 do t[i] = i end
while true do next(t) end
