// Mutexes for scripts: mutex([name]) -> m. m:lock() waits -> a guard (also a select
// branch, `{ lock = m }`); m:try_lock() -> a guard or nil; m:is_locked();
// m:with(fn, ...) calls fn holding the lock. A guard releases on unlock(), on __close
// (`local g <close> = m:lock()`) or when collected; using it after it was released raises.
//
// Part of open_sync_api (api_registry.cpp); only the scenario thread touches these objects.
#include <optional>

#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"
#include "spindle/sync/mutex.h"

namespace spindle::lua {

namespace {

/// A mutex as a script sees it.
struct LuaMutex {
    static constexpr const char* kName = "spindle.sync.Mutex";
    Mutex mutex;
};
/// A held mutex lock: unlock(), drop() / __close, or collection releases it.
struct LuaMutexGuard {
    static constexpr const char* kName = "spindle.sync.MutexGuard";
    MutexGuard guard;
};

Branch lock_branch(lua_State* L, int idx) {
    LuaMutex& m = check_object<LuaMutex>(L, idx);
    auto* op = new LockOp(m.mutex.lock());
    Branch b;
    b.op.reset(op);
    b.push = [op](lua_State* L) {
        push_new<LuaMutexGuard>(L, [op] { return op->result(); });
        return 1;
    };
    return b;
}

int l_mutex(lua_State* L) {
    const char* name = opt_name(L, 1, "mutex");
    Host::from(L).add_resource(L);
    push_new<LuaMutex>(L, [name] { return Mutex(name); });
    return 1;
}

int l_mutex_try_lock(lua_State* L) {
    LuaMutex& m = check_object<LuaMutex>(L, 1);
    void* mem = new_object_block<LuaMutexGuard>(L);
    std::optional<MutexGuard> g = m.mutex.try_lock();
    if (!g) {
        lua_pushnil(L);
        return 1;
    }
    emplace_object<LuaMutexGuard>(mem, std::move(*g));
    g.reset();
    luaL_setmetatable(L, LuaMutexGuard::kName);
    return 1;
}

int l_mutex_is_locked(lua_State* L) {
    lua_pushboolean(L, check_object<LuaMutex>(L, 1).mutex.is_locked());
    return 1;
}

int l_mutex_guard_unlock(lua_State* L) {
    held<LuaMutexGuard>(L, 1, "guard").guard.unlock();
    return 0;
}
int l_mutex_guard_drop(lua_State* L) {
    check_object<LuaMutexGuard>(L, 1).guard.unlock();
    return 0;
}
int l_mutex_guard_is_held(lua_State* L) {
    lua_pushboolean(L, check_object<LuaMutexGuard>(L, 1).guard.owns_lock());
    return 1;
}

/// The metatables of this primitive's userdata and its select builders.
void define_mutex_types(lua_State* L) {
    static const luaL_Reg mutex_methods[] = {{"lock", &waiting_method<&lock_branch>},
                                             {"try_lock", &l_mutex_try_lock},
                                             {"is_locked", &l_mutex_is_locked},
                                             {nullptr, nullptr}};
    static const luaL_Reg mutex_guard_methods[] = {{"unlock", &l_mutex_guard_unlock},
                                                   {"drop", &l_mutex_guard_drop},
                                                   {"is_held", &l_mutex_guard_is_held},
                                                   {nullptr, nullptr}};
    define_type<LuaMutex>(L, mutex_methods);
    define_type<LuaMutexGuard>(L, mutex_guard_methods);
    Host::from(L).add_builder("lock", LuaMutex::kName, &lock_branch);
}

/// The methods written in Lua, once every metatable exists.
void add_mutex_lua_methods(lua_State* L) {
    add_with<LuaMutex>(L, "with", "lock");
}

}  // namespace

SyncApiPart mutex_api() {
    return {&define_mutex_types, &add_mutex_lua_methods, {"mutex", &l_mutex}};
}

}  // namespace spindle::lua
