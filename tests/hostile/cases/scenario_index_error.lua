-- Item 4: scenario{} with an __index that raises aborted the process (exit 134).
-- args: --max-wall-ms 1500
-- exit: 0
-- message: survived
-- wall-ms: 3000
-- rss-mb: 200
scenario(setmetatable({}, {__index = function() error("x") end}))
print("survived")
