-- Item 10: closing another task's (here: main's) thread.
-- args: --max-wall-ms 1500
-- exit: 1
-- message: close_other_task.lua:10: coroutine.close: this coroutine is a task's own thread
-- wall-ms: 3000
-- rss-mb: 200
local main_co = coroutine.running()
local h = spawn(function()
  sleep(1)
  coroutine.close(main_co)
end)
sleep(5)
local ok, err = h:join()
error(err, 0)
