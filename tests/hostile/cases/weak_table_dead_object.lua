-- Item 11: an object already collected, reached again through a weak table, said
-- "spindle.mpsc.Receiver expected, got spindle.mpsc.Receiver".
-- args: --max-wall-ms 1500
-- exit: 1
-- message: weak_table_dead_object.lua:11: calling 'len' on bad self (this spindle.mpsc.Receiver was already collected
-- wall-ms: 3000
-- rss-mb: 200
local weak = setmetatable({}, {__mode = "k"})
do local tx, rx = mpsc.channel(1); weak[rx] = true end
collectgarbage()
for rx in pairs(weak) do print(rx:len()) end
