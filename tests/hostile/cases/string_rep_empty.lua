-- Item 2: string.rep of an empty string 2^52 times looped in C for hours.
-- args: --max-wall-ms 1500
-- exit: 0
-- message: empty: 0
-- wall-ms: 3000
-- rss-mb: 200
local s = string.rep("", 2^52)
local t = ("x"):rep(0) .. string.rep("", 2^40, "")
print("empty: " .. #s + #t)
