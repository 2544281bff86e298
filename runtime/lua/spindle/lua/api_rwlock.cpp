// Read-write locks for scripts: rwlock([name]) -> l. l:read() / l:write() wait -> a read
// or write guard (also select branches, `{ read = l }`, `{ write = l }`); l:try_read(),
// l:try_write() -> a guard or nil; l:readers(), l:is_write_locked(); l:with_read(fn, ...)
// and l:with_write(fn, ...) call fn holding the lock. Guards release like mutex guards;
// a write guard can downgrade() to a read guard.
//
// Part of open_sync_api (api_registry.cpp); only the scenario thread touches these objects.
#include <optional>

#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"
#include "spindle/sync/rwlock.h"

namespace spindle::lua {

namespace {

/// An rwlock as a script sees it.
struct LuaRwLock {
    static constexpr const char* kName = "spindle.sync.RwLock";
    RwLock lock;
};
/// A shared hold on an rwlock.
struct LuaReadGuard {
    static constexpr const char* kName = "spindle.sync.ReadGuard";
    ReadGuard guard;
};
/// The exclusive hold on an rwlock.
struct LuaWriteGuard {
    static constexpr const char* kName = "spindle.sync.WriteGuard";
    WriteGuard guard;
};

Branch read_branch(lua_State* L, int idx) {
    LuaRwLock& l = check_object<LuaRwLock>(L, idx);
    auto* op = new ReadOp(l.lock.read());
    Branch b;
    b.op.reset(op);
    b.push = [op](lua_State* L) {
        push_new<LuaReadGuard>(L, [op] { return op->result(); });
        return 1;
    };
    return b;
}

Branch write_branch(lua_State* L, int idx) {
    LuaRwLock& l = check_object<LuaRwLock>(L, idx);
    auto* op = new WriteOp(l.lock.write());
    Branch b;
    b.op.reset(op);
    b.push = [op](lua_State* L) {
        push_new<LuaWriteGuard>(L, [op] { return op->result(); });
        return 1;
    };
    return b;
}

int l_rwlock(lua_State* L) {
    const char* name = opt_name(L, 1, "rwlock");
    Host::from(L).add_resource(L);
    push_new<LuaRwLock>(L, [name] { return RwLock(name); });
    return 1;
}

int l_rwlock_try_read(lua_State* L) {
    LuaRwLock& l = check_object<LuaRwLock>(L, 1);
    void* mem = new_object_block<LuaReadGuard>(L);
    std::optional<ReadGuard> g = l.lock.try_read();
    if (!g) {
        lua_pushnil(L);
        return 1;
    }
    emplace_object<LuaReadGuard>(mem, std::move(*g));
    g.reset();
    luaL_setmetatable(L, LuaReadGuard::kName);
    return 1;
}

int l_rwlock_try_write(lua_State* L) {
    LuaRwLock& l = check_object<LuaRwLock>(L, 1);
    void* mem = new_object_block<LuaWriteGuard>(L);
    std::optional<WriteGuard> g = l.lock.try_write();
    if (!g) {
        lua_pushnil(L);
        return 1;
    }
    emplace_object<LuaWriteGuard>(mem, std::move(*g));
    g.reset();
    luaL_setmetatable(L, LuaWriteGuard::kName);
    return 1;
}

int l_rwlock_readers(lua_State* L) {
    lua_pushinteger(L, check_object<LuaRwLock>(L, 1).lock.readers());
    return 1;
}
int l_rwlock_is_write_locked(lua_State* L) {
    lua_pushboolean(L, check_object<LuaRwLock>(L, 1).lock.is_write_locked());
    return 1;
}

int l_read_guard_unlock(lua_State* L) {
    held<LuaReadGuard>(L, 1, "guard").guard.unlock();
    return 0;
}
int l_read_guard_drop(lua_State* L) {
    check_object<LuaReadGuard>(L, 1).guard.unlock();
    return 0;
}
int l_read_guard_is_held(lua_State* L) {
    lua_pushboolean(L, check_object<LuaReadGuard>(L, 1).guard.owns_lock());
    return 1;
}

int l_write_guard_unlock(lua_State* L) {
    held<LuaWriteGuard>(L, 1, "guard").guard.unlock();
    return 0;
}
int l_write_guard_drop(lua_State* L) {
    check_object<LuaWriteGuard>(L, 1).guard.unlock();
    return 0;
}
int l_write_guard_is_held(lua_State* L) {
    lua_pushboolean(L, check_object<LuaWriteGuard>(L, 1).guard.owns_lock());
    return 1;
}
/// g:downgrade() -> a read guard; this write guard is released.
int l_write_guard_downgrade(lua_State* L) {
    LuaWriteGuard& g = held<LuaWriteGuard>(L, 1, "guard");
    push_new<LuaReadGuard>(L, [&g] { return g.guard.downgrade(); });
    return 1;
}

/// The metatables of this primitive's userdata and its select builders.
void define_rwlock_types(lua_State* L) {
    static const luaL_Reg rwlock_methods[] = {{"read", &waiting_method<&read_branch>},
                                              {"write", &waiting_method<&write_branch>},
                                              {"try_read", &l_rwlock_try_read},
                                              {"try_write", &l_rwlock_try_write},
                                              {"readers", &l_rwlock_readers},
                                              {"is_write_locked", &l_rwlock_is_write_locked},
                                              {nullptr, nullptr}};
    static const luaL_Reg read_guard_methods[] = {{"unlock", &l_read_guard_unlock},
                                                  {"drop", &l_read_guard_drop},
                                                  {"is_held", &l_read_guard_is_held},
                                                  {nullptr, nullptr}};
    static const luaL_Reg write_guard_methods[] = {{"unlock", &l_write_guard_unlock},
                                                   {"drop", &l_write_guard_drop},
                                                   {"is_held", &l_write_guard_is_held},
                                                   {"downgrade", &l_write_guard_downgrade},
                                                   {nullptr, nullptr}};
    define_type<LuaRwLock>(L, rwlock_methods);
    define_type<LuaReadGuard>(L, read_guard_methods);
    define_type<LuaWriteGuard>(L, write_guard_methods);
    Host& host = Host::from(L);
    host.add_builder("read", LuaRwLock::kName, &read_branch);
    host.add_builder("write", LuaRwLock::kName, &write_branch);
}

/// The methods written in Lua, once every metatable exists.
void add_rwlock_lua_methods(lua_State* L) {
    add_with<LuaRwLock>(L, "with_read", "read");
    add_with<LuaRwLock>(L, "with_write", "write");
}

}  // namespace

SyncApiPart rwlock_api() {
    return {&define_rwlock_types, &add_rwlock_lua_methods, {"rwlock", &l_rwlock}};
}

}  // namespace spindle::lua
