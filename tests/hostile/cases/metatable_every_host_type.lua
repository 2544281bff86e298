-- Item 3: no host type hands out its metatable.
-- args: --max-wall-ms 1500
-- exit: 0
-- message: 18 host types protected
-- wall-ms: 3000
-- rss-mb: 200
local m = mutex()
local rw = rwlock()
local sem = semaphore(1)
local objects = {}
local function add(...) for _, v in ipairs({...}) do objects[#objects + 1] = v end end
add(mpsc.channel(1))
add(oneshot.channel())
add(broadcast.channel(1))
add(watch.channel(0))
add(m, m:lock(), rw, rw:read(), sem, sem:acquire(), notify(), barrier(1), spawn(function() end))
local wg = rwlock()
add(wg:write())
local n = 0
for _, v in ipairs(objects) do
  local mt = getmetatable(v)
  assert(type(mt) == "string" and mt:find("^spindle%."), tostring(mt))
  assert(not pcall(function() mt.__gc = nil end))
  n = n + 1
end
print(n .. " host types protected")
