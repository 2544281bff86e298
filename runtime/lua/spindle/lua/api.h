#pragma once
// Registration of the scenario API into a host's Lua state, one function per area.

#include <lua.hpp>

namespace spindle::lua {

/// spawn, spawn_blocking, join handles, sleep, work, yield_now, now, print, select, timeout.
void open_core_api(lua_State* L);
/// mpsc.channel / mpsc.unbounded and their senders and receivers.
void open_mpsc_api(lua_State* L);
/// oneshot.channel.
void open_oneshot_api(lua_State* L);
/// broadcast.channel.
void open_broadcast_api(lua_State* L);
/// watch.channel.
void open_watch_api(lua_State* L);
/// mutex, rwlock, semaphore, notify, barrier.
void open_sync_api(lua_State* L);

/// Everything above.
void open_scenario_api(lua_State* L);

}  // namespace spindle::lua
