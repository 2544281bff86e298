// local_set([name]) for scripts: tokio's LocalSet. A set is bound to the core worker
// running the task that makes it; ls:spawn_local([name,] fn, ...) starts a task (flavor
// local) that runs only there and is never stolen — what a future that is not Send
// (an Rc held across an await) needs. Written in Lua over two C calls.

#include "spindle/core/executor.h"
#include "spindle/lua/api.h"

namespace spindle::lua {

namespace {

int l_bind(lua_State* L) {
    Executor* ex = current_executor_or_null();
    if (!ex) return luaL_error(L, "a local set is made inside a run");
    lua_pushinteger(L, ex->local_set_worker());
    return 1;
}

constexpr const char* kLocalSet = R"lua(
local bind, spawn_pinned, setmetatable, type, error, tostring = ...

local Set = {}
Set.__index = Set
Set.__metatable = "spindle.LocalSet"

function Set:spawn_local(name, ...)
  if type(name) == "string" then return spawn_pinned(self._worker, name, ...) end
  return spawn_pinned(self._worker, nil, name, ...)
end
function Set:worker() return self._worker end
function Set:name() return self._name end
function Set.__tostring(s) return "local set '" .. s._name .. "' on thread " .. s._worker end

return function(name)
  if name ~= nil and type(name) ~= "string" then
    error("bad argument #1 to 'local_set' (string expected, got " .. type(name) .. ")", 2)
  end
  return setmetatable({ _worker = bind(), _name = name or "local set" }, Set)
end
)lua";

}  // namespace

void open_local_set_api(lua_State* L) {
    load_builtin(L, kLocalSet, "=[spindle local_set]");
    lua_pushcfunction(L, &l_bind);
    lua_pushcfunction(L, &spawn_local_task);
    lua_call(L, 2 + push_globals(L, {"setmetatable", "type", "error", "tostring"}), 1);
    lua_setglobal(L, "local_set");
}

}  // namespace spindle::lua
