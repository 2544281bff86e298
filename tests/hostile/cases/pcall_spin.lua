-- Item 1: an endless loop inside pcall, retried forever: the instruction budget
-- ends the task at once; pcall cannot catch it.
-- args: --max-instructions 5000000 --max-wall-ms 1500
-- exit: 1
-- message: pcall_spin.lua:8: instruction budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
while true do pcall(function() while true do end end) end
