-- Item 1: coroutine.wrap rethrows, and an outer pcall would catch it.
-- args: --max-instructions 0 --max-wall-ms 1500
-- exit: 4
-- message: wall-clock budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
while true do pcall(coroutine.wrap(function() while true do end end)) end
