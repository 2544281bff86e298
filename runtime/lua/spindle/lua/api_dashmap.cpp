// DashMap for scripts: dashmap.new([name [, shards]]), a concurrent map sharded over
// reader-writer locks, one per shard ("cache shard 2"). get / get_mut return guards
// that hold their shard's lock until dropped; insert, remove, entry and len take the
// lock for the call. Like dashmap's (parking_lot) locks these are blocking calls: a
// task waiting for a shard keeps its worker. The well-known trap — holding a guard
// while inserting into the same shard — deadlocks, and the report names the shard.
// Written in Lua over the rwlock primitive; only the blocking acquire and the key hash
// are C functions.

#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"

namespace spindle::lua {

namespace {

/// lock_blocking(lock, "read"|"write"): the rwlock's guard, waiting as a blocking call.
int l_lock_blocking(lua_State* L) {
    const char* op = luaL_checkstring(L, 2);
    lua_settop(L, 1);
    const BranchBuilder b = Host::from(L).builder(op, type_name_of(L, 1));
    if (!b) return luaL_argerror(L, 1, "rwlock expected");
    Host::from(L).check_waitable(L, op);
    return finish_wait(L, complete_or_block(L, b, 1));
}

/// shard_of(key, shards): 1-based shard of a key (FNV-1a of its type and text: the same
/// key always lands on the same shard, run after run).
int l_shard_of(lua_State* L) {
    const lua_Integer shards = luaL_checkinteger(L, 2);
    const int t = lua_type(L, 1);
    if (t != LUA_TSTRING && t != LUA_TNUMBER && t != LUA_TBOOLEAN)
        return luaL_argerror(L, 1, "a key must be a string, number or boolean");
    std::uint64_t h = 1469598103934665603ull ^ static_cast<std::uint64_t>(t);
    auto mix = [&h](const char* p, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            h ^= static_cast<unsigned char>(p[i]);
            h *= 1099511628211ull;
        }
    };
    if (t == LUA_TBOOLEAN) {
        const char c = lua_toboolean(L, 1) ? '1' : '0';
        mix(&c, 1);
    } else if (lua_isinteger(L, 1)) {
        const lua_Integer v = lua_tointeger(L, 1);
        mix(reinterpret_cast<const char*>(&v), sizeof v);
    } else {
        std::size_t n = 0;
        const char* s = lua_tolstring(L, 1, &n);  // a string, or a float's text
        mix(s, n);
    }
    lua_pushinteger(L, static_cast<lua_Integer>(h % static_cast<std::uint64_t>(shards)) + 1);
    return 1;
}

constexpr const char* kDashMap = R"lua(
local rwlock, lock_blocking, shard_of, setmetatable, error, type, tostring, math_type = ...

local Guard = {}
Guard.__index = Guard
Guard.__metatable = "spindle.dashmap.Guard"
function Guard:value()
  if not self._held then error("this dashmap guard was dropped", 2) end
  return self._shard[self._key]
end
function Guard:set(v)
  if not self._held then error("this dashmap guard was dropped", 2) end
  if not self._write then error("a read guard (get) cannot set: use get_mut", 2) end
  if v == nil then error("bad argument #1 to 'set' (a value expected)", 2) end
  self._shard[self._key] = v
end
function Guard:drop()
  if self._held then
    self._held = false
    self._lock_guard:drop()
  end
end
Guard.__close = Guard.drop

local Map = {}
Map.__index = Map
Map.__metatable = "spindle.dashmap.DashMap"

local function shard(self, key)
  if key == nil then error("a dashmap key cannot be nil", 3) end
  local i = shard_of(key, self._n)
  return i, self._locks[i], self._data[i]
end
local function guard(lock_guard, data, key, write)
  return setmetatable({ _lock_guard = lock_guard, _shard = data, _key = key, _write = write,
                        _held = true }, Guard)
end

function Map:insert(key, value)
  if value == nil then error("bad argument #2 to 'insert' (a value expected)", 2) end
  local _, lock, data = shard(self, key)
  local g <close> = lock_blocking(lock, "write")
  local old = data[key]
  if old == nil then self._len = self._len + 1 end
  data[key] = value
  return old
end
function Map:get(key)
  local _, lock, data = shard(self, key)
  local g = lock_blocking(lock, "read")
  if data[key] == nil then g:drop() return nil end
  return guard(g, data, key, false)
end
function Map:get_mut(key)
  local _, lock, data = shard(self, key)
  local g = lock_blocking(lock, "write")
  if data[key] == nil then g:drop() return nil end
  return guard(g, data, key, true)
end
function Map:remove(key)
  local _, lock, data = shard(self, key)
  local g <close> = lock_blocking(lock, "write")
  local old = data[key]
  if old ~= nil then
    data[key] = nil
    self._len = self._len - 1
  end
  return old
end
function Map:entry(key)
  local map = self
  return { or_insert = function(_, value)
    if value == nil then error("bad argument #1 to 'or_insert' (a value expected)", 2) end
    local _, lock, data = shard(map, key)
    local g = lock_blocking(lock, "write")
    if data[key] == nil then
      data[key] = value
      map._len = map._len + 1
    end
    return guard(g, data, key, true)
  end }
end
function Map:len() return self._len end
function Map:shards() return self._n end
function Map:shard_of(key) return (shard(self, key)) - 1 end
function Map.__tostring(self) return "dashmap '" .. self._name .. "'" end

return { new = function(name, shards)
  if name ~= nil and type(name) ~= "string" then
    error("bad argument #1 to 'new' (string expected, got " .. type(name) .. ")", 2)
  end
  name = name or "dashmap"
  shards = shards or 4
  if math_type(shards) ~= "integer" or shards < 1 or shards > 256 then
    error("bad argument #2 to 'new' (shard count from 1 to 256 expected)", 2)
  end
  local locks, data = {}, {}
  for i = 1, shards do
    locks[i] = rwlock(name .. " shard " .. (i - 1))
    data[i] = {}
  end
  return setmetatable({ _name = name, _n = shards, _locks = locks, _data = data, _len = 0 }, Map)
end }
)lua";

}  // namespace

void open_dashmap_api(lua_State* L) {
    load_builtin(L, kDashMap, "=[spindle dashmap]");
    lua_getglobal(L, "rwlock");
    lua_pushcfunction(L, &l_lock_blocking);
    lua_pushcfunction(L, &l_shard_of);
    lua_call(L, 3 + push_globals(L, {"setmetatable", "error", "type", "tostring", "math.type"}), 1);
    lua_setglobal(L, "dashmap");
}

}  // namespace spindle::lua
