// join_set() for scripts: tokio's JoinSet — tasks spawned into a set and joined in the
// order they finish. Written in Lua over spawn and select (a join_next is a select over
// the set's join handles), so its waits are ordinary awaits.

#include "spindle/lua/api.h"

namespace spindle::lua {

namespace {

constexpr const char* kJoinSet = R"lua(
local spawn, select, setmetatable, pack, unpack, remove = ...

local Set = {}
Set.__index = Set
Set.__metatable = "spindle.JoinSet"

function Set:spawn(...)
  local h = spawn(...)
  self._handles[#self._handles + 1] = h
  return h
end
function Set:join_next()
  local hs = self._handles
  if #hs == 0 then return nil end
  local branches = {}
  for i = 1, #hs do branches[i] = { join = hs[i], name = hs[i]:name() } end
  local r = pack(select(branches))
  remove(hs, r[1])
  return unpack(r, 2, r.n)
end
function Set:abort_all()
  for i = 1, #self._handles do self._handles[i]:abort() end
end
function Set:len() return #self._handles end
function Set:is_empty() return #self._handles == 0 end
function Set.__tostring(self) return "join set (" .. #self._handles .. " tasks)" end

return function() return setmetatable({ _handles = {} }, Set) end
)lua";

}  // namespace

void open_join_set_api(lua_State* L) {
    load_builtin(L, kJoinSet, "=[spindle join_set]");
    lua_call(L,
             push_globals(L, {"spawn", "select", "setmetatable", "table.pack", "table.unpack",
                              "table.remove"}),
             1);
    lua_setglobal(L, "join_set");
}

}  // namespace spindle::lua
