-- Item 3: replacing a host object's __gc with a finalizer that never returns.
-- args: --max-wall-ms 1500
-- exit: 1
-- message: metatable_gc_replace.lua:8: attempt to index a string value
-- wall-ms: 3000
-- rss-mb: 200
local tx, rx = mpsc.channel(1)
getmetatable(tx).__gc = function() while true do end end
collectgarbage()
