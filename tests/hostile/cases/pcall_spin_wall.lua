-- Item 1: the same loop with no instruction budget: only the wall clock (the
-- watchdog's hook) can end it, and pcall cannot catch that either.
-- args: --max-instructions 0 --max-wall-ms 1500
-- exit: 4
-- message: wall-clock budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
while true do pcall(function() while true do end end) end
