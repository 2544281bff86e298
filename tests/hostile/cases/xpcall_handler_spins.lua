-- Item 1: a message handler that itself loops forever.
-- args: --max-instructions 5000000 --max-wall-ms 3000
-- exit: 1
-- message: instruction budget exceeded
-- wall-ms: 6000
-- rss-mb: 200
while true do
  xpcall(function() while true do end end, function() while true do end end)
end
