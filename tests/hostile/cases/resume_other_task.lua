-- Item 10: task B resumed task A's thread, so A's sleep(5) returned early and
-- A's code ran under B's name.
-- args: --max-wall-ms 1500
-- exit: 1
-- message: resume_other_task.lua:13: coroutine.resume: this coroutine is a task's own thread
-- wall-ms: 3000
-- rss-mb: 200
local a_co
local a = spawn("A", function() a_co = coroutine.running(); sleep(5) end)
local b = spawn("B", function()
  sleep(1)
  print(coroutine.status(a_co))
  coroutine.resume(a_co)
end)
a:join()
print(b:join())
error(select(2, b:join()))
