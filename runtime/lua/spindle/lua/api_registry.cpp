// open_scenario_api: registers every area of the scenario API into a host's Lua state,
// open_sync_api: the locks and signals, whose parts live in api_<primitive>.cpp, and
// push_globals and load_builtin for the API's Lua-written parts. load_builtin's cache
// is process-wide: entries are added under its mutex and never changed or removed, so a
// found entry is read without the lock (states are built on several threads at once
// when exploring with --jobs).
#include <cstring>
#include <iterator>
#include <mutex>
#include <string>
#include <unordered_map>

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

int append_bytecode(lua_State*, const void* p, size_t n, void* ud) {
    try {
        static_cast<std::string*>(ud)->append(static_cast<const char*>(p), n);
        return 0;
    } catch (...) {
        return 1;
    }
}

void load_builtin(lua_State* L, const char* source, const char* chunkname) {
    static std::mutex mutex;
    static std::unordered_map<const char*, std::string> compiled;  // by the literal's address
    const std::string* bytecode = nullptr;
    {
        std::lock_guard lock(mutex);
        auto it = compiled.find(source);
        if (it == compiled.end()) {
            // Compiled in a scratch state, never in L: every host state then sees the same
            // allocations (a load of the bytecode), so a run's garbage collection, and with
            // it its trace, does not depend on whether it was the process's first.
            std::string dumped;
            if (lua_State* scratch = luaL_newstate()) {
                if (luaL_loadbufferx(scratch, source, std::strlen(source), chunkname, "t") ==
                    LUA_OK)
                    // With debug info, so errors inside these parts still name their line.
                    lua_dump(scratch, &append_bytecode, &dumped, 0);
                lua_close(scratch);
            }
            if (!dumped.empty()) it = compiled.emplace(source, std::move(dumped)).first;
        }
        if (it != compiled.end()) bytecode = &it->second;
    }
    if (!bytecode) luaL_error(L, "cannot compile %s", chunkname);  // out of memory
    if (luaL_loadbufferx(L, bytecode->data(), bytecode->size(), chunkname, "b") != LUA_OK)
        lua_error(L);
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
