-- Item 1: a <close> handler that catches the stop and goes on, on the way out.
-- args: --max-instructions 0 --max-wall-ms 1500
-- exit: 4
-- message: wall-clock budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
local x <close> = setmetatable({}, {__close = function()
  while true do pcall(function() while true do end end) end
end})
while true do end
