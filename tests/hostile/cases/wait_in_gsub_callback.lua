-- Item 11: a waiting call inside gsub's callback: "attempt to yield across a
-- C-call boundary" with no file:line.
-- args: --max-wall-ms 1500
-- exit: 1
-- message: wait_in_gsub_callback.lua:8: sleep: a waiting call cannot be made inside a callback
-- wall-ms: 3000
-- rss-mb: 200
string.gsub("abc", "%w", function(c) sleep(1) end)
