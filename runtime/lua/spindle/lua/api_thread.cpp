// OS threads for scripts: thread.spawn([name,] fn, ...), thread.sleep(ms) and
// thread.scope(fn), with std::thread's meaning. A thread runs on a lane of its own;
// its waits block only that lane. thread.sleep and a thread handle's join() block
// the caller's thread: called from an async task, they stall its worker.

#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"

namespace spindle::lua {

namespace {

int l_thread_spawn(lua_State* L) {
    return spawn_task(L, TaskFlavor::thread);
}

int l_thread_sleep(lua_State* L) {
    Host::from(L).check_waitable(L, "thread.sleep");
    return finish_wait(L, complete_or_block(L, &sleep_branch, 1));
}

/// thread.scope(fn): fn(s) may start threads with s:spawn([name,] fn, ...); when fn
/// returns (or raises), every scoped thread not joined yet is joined, then fn's
/// results come back — or the first panic: fn's own, else a scoped thread's.
/// Written in Lua so that its joins may block; spawn and join are upvalues.
constexpr const char* kScope = R"lua(
local spawn, join, pack, unpack, pcall, error, type, setmetatable, tostring = ...
return function(fn)
  if type(fn) ~= "function" then
    error("bad argument #1 to 'scope' (function expected, got " .. type(fn) .. ")", 2)
  end
  local handles = {}
  local s = setmetatable({}, {
    __metatable = "spindle.thread.Scope",
    __index = { spawn = function(_, ...)
      local h = spawn(...)
      handles[#handles + 1] = h
      return h
    end },
  })
  local results = pack(pcall(fn, s))
  local panic
  for i = 1, #handles do
    local ok, msg = join(handles[i])
    if not ok and msg ~= "already joined" and not panic then
      panic = "a scoped thread panicked: " .. tostring(msg)
    end
  end
  if not results[1] then error(results[2], 0) end
  if panic then error(panic, 2) end
  return unpack(results, 2, results.n)
end
)lua";

int l_join_any(lua_State* L) {
    // h:join() of the handle at 1, through its metatable (a thread's join blocks).
    luaL_getmetafield(L, 1, "__index");
    lua_getfield(L, -1, "join");
    lua_pushvalue(L, 1);
    lua_callk(L, 1, LUA_MULTRET, 0,
              [](lua_State* L, int, lua_KContext) { return lua_gettop(L) - 2; });
    return lua_gettop(L) - 2;
}

}  // namespace

void open_thread_api(lua_State* L) {
    static const luaL_Reg lib[] = {
        {"spawn", &l_thread_spawn}, {"sleep", &l_thread_sleep}, {nullptr, nullptr}};
    luaL_newlib(L, lib);
    load_builtin(L, kScope, "=[spindle thread.scope]");
    lua_pushcfunction(L, &l_thread_spawn);
    lua_pushcfunction(L, &l_join_any);
    const int n = push_globals(
        L, {"table.pack", "table.unpack", "pcall", "error", "type", "setmetatable", "tostring"});
    lua_call(L, 2 + n, 1);
    lua_setfield(L, -2, "scope");
    lua_setglobal(L, "thread");
}

}  // namespace spindle::lua
