-- Item 1: xpcall whose message handler returns normally, so the error would be
-- swallowed.
-- args: --max-instructions 0 --max-wall-ms 1500
-- exit: 4
-- message: wall-clock budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
while true do xpcall(function() while true do end end, function(m) return m end) end
