// open_scenario_api: registers every area of the scenario API into a host's Lua state,
// and open_sync_api: the locks and signals, whose parts live in api_<primitive>.cpp.
#include <iterator>

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
