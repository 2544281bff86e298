-- Item 6: channels made in a loop (the runtime keeps a record of each) reached
-- 3.8 GB; they count against the heap budget now.
-- args: --max-heap-mb 128 --max-wall-ms 5000
-- exit: 4
-- message: channel_creation_loop.lua:8: out of memory (the heap budget of 128 MiB
-- wall-ms: 10000
-- rss-mb: 400
for i = 1, 1e9 do local tx, rx = mpsc.channel(1) end
