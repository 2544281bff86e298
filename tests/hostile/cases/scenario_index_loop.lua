-- Item 4: scenario{} with an __index that never returns.
-- args: --max-wall-ms 1500
-- exit: 0
-- message: survived
-- wall-ms: 3000
-- rss-mb: 200
scenario(setmetatable({}, {__index = function() while true do end end}))
print("survived")
