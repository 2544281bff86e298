-- Item 1: the script's own coroutine spins; resume would return false, msg.
-- args: --max-instructions 5000000 --max-wall-ms 1500
-- exit: 1
-- message: instruction budget exceeded
-- wall-ms: 3000
-- rss-mb: 200
while true do
  coroutine.resume(coroutine.create(function() while true do end end))
end
