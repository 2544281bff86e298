-- Item 4: scenario{} with a __pairs trap; settings are read as plain fields.
-- args: --max-wall-ms 1500
-- exit: 0
-- message: survived
-- wall-ms: 3000
-- rss-mb: 200
scenario(setmetatable({name = "trap"}, {__pairs = function() error("x") end,
                                        __index = function() error("y") end}))
print("survived")
