// open_scenario_api: registers every area of the scenario API into a host's Lua state,
// open_sync_api: the locks and signals, whose parts live in api_<primitive>.cpp, and
// push_globals for the API's Lua-written parts.
#include <cstring>
#include <iterator>
#include <string>

#include "spindle/lua/api.h"

namespace spindle::lua {

void open_sync_api(lua_State* L) {
    const SyncApiPart parts[] = {mutex_api(), rwlock_api(), semaphore_api(), notify_api(),
                                 barrier_api()};
    for (const SyncApiPart& part : parts)
        part.define_types(L);
    for (const SyncApiPart& part : parts)
        if (part.add_lua_methods) part.add_lua_methods(L);
    luaL_Reg globals[std::size(parts) + 1];
    for (std::size_t i = 0; i < std::size(parts); ++i)
        globals[i] = parts[i].global;
    globals[std::size(parts)] = {nullptr, nullptr};
    lua_pushglobaltable(L);
    luaL_setfuncs(L, globals, 0);
    lua_pop(L, 1);
}

int push_globals(lua_State* L, std::initializer_list<const char*> names) {
    for (const char* name : names) {
        const char* dot = std::strchr(name, '.');
        if (!dot) {
            lua_getglobal(L, name);
            continue;
        }
        lua_getglobal(L, std::string(name, static_cast<std::size_t>(dot - name)).c_str());
        lua_getfield(L, -1, dot + 1);
        lua_remove(L, -2);
    }
    return static_cast<int>(names.size());
}

void open_scenario_api(lua_State* L) {
    open_core_api(L);
    open_mpsc_api(L);
    open_oneshot_api(L);
    open_broadcast_api(L);
    open_watch_api(L);
    open_sync_api(L);
    open_thread_api(L);
    open_crossbeam_api(L);
    open_dashmap_api(L);
    open_join_api(L);
    open_join_set_api(L);
    open_rayon_api(L);
    open_local_set_api(L);
}

}  // namespace spindle::lua
