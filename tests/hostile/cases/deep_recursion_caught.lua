-- Item 1 variant: stack overflows caught in a loop; the instruction budget ends it.
-- args: --max-instructions 2000000 --max-wall-ms 8000
-- exit: 1
-- message: instruction budget exceeded
-- wall-ms: 16000
-- rss-mb: 300
local function f() return 1 + f() end
while true do pcall(f) end
