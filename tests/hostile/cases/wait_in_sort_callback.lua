-- Item 11: the same inside table.sort's comparator, with a channel.
-- args: --max-wall-ms 1500
-- exit: 1
-- message: wait_in_sort_callback.lua:8: recv: a waiting call cannot be made inside a callback
-- wall-ms: 3000
-- rss-mb: 200
local tx, rx = mpsc.channel(1)
table.sort({3, 2, 1}, function(a, b) rx:recv() return a < b end)
