#pragma once
// Registration of the scenario API into a host's Lua state, one function per area.

#include <initializer_list>
#include <lua.hpp>

#include "spindle/core/ids.h"
#include "spindle/lua/host.h"

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
/// mutex, rwlock, semaphore, notify, barrier (the parts below, in that order).
void open_sync_api(lua_State* L);

/// One lock or signal of the scenario API, each in its own file (api_mutex.cpp,
/// api_rwlock.cpp, api_semaphore.cpp, api_notify.cpp, api_barrier.cpp). open_sync_api
/// builds them phase by phase: every part's metatables, then every part's Lua-written
/// methods, then the globals. The Lua state is thus made by the same calls in the same
/// order wherever a primitive lives, so the collector's pace (and with it when guards
/// and permits dropped without release are finalized) does not depend on the file layout.
struct SyncApiPart {
    /// Creates the metatables of its userdata and registers its select builders.
    void (*define_types)(lua_State* L);
    /// Adds methods written in Lua (with, ...) once every metatable exists; may be null.
    void (*add_lua_methods)(lua_State* L);
    /// The global that makes one, e.g. {"mutex", l_mutex}.
    luaL_Reg global;
};
SyncApiPart mutex_api();
SyncApiPart rwlock_api();
SyncApiPart semaphore_api();
SyncApiPart notify_api();
SyncApiPart barrier_api();

/// thread.spawn / thread.sleep / thread.scope: OS threads (api_thread.cpp).
void open_thread_api(lua_State* L);
/// crossbeam.bounded / unbounded / select and their ends (api_crossbeam.cpp).
void open_crossbeam_api(lua_State* L);
/// dashmap.new: a map sharded over reader-writer locks (api_dashmap.cpp).
void open_dashmap_api(lua_State* L);
/// join / try_join: tokio's join! and try_join! (api_join.cpp).
void open_join_api(lua_State* L);
/// join_set(): tokio's JoinSet (api_join_set.cpp).
void open_join_set_api(lua_State* L);
/// rayon.pool / join / par_iter: Rayon thread pools (api_rayon.cpp).
void open_rayon_api(lua_State* L);
/// local_set(): tokio's LocalSet and spawn_local (api_local_set.cpp).
void open_local_set_api(lua_State* L);

// Shared by the task and thread APIs (defined in api_core.cpp):
/// spawn([name,] fn, ...) as a task of `flavor`; pushes its join handle.
int spawn_task(lua_State* L, TaskFlavor flavor);
/// spawn_local(worker, [name,] fn, ...): a task of flavor local that runs only on core
/// worker `worker` (a LocalSet's); pushes its join handle.
int spawn_local_task(lua_State* L);
/// spawn_job(pool, name, fn, ...): a Rayon job of `pool` (a rayon_pool resource id);
/// pushes its join handle.
int spawn_job_task(lua_State* L);
/// h:join() of the job handle at 1, waited the way rayon's join waits: blocking the
/// caller (`steal` false: a call from outside the pool) or, from a job of the pool,
/// running other jobs meanwhile (`steal` true). Results as h:join()'s.
int join_job(lua_State* L, bool steal);
/// The branch of sleep(ms), the duration at idx.
Branch sleep_branch(lua_State* L, int idx);
/// select(branches [, options]) (crossbeam: false) or crossbeam.select (true: only
/// crossbeam branches, blocks the thread, options.timeout → nil, "timeout").
int run_select(lua_State* L, bool crossbeam);

/// Pushes each named global — "pcall", or a field of one: "table.pack" — for the
/// Lua-written parts of the API (api_thread.cpp, api_rayon.cpp, ...), which take them
/// as upvalues: the sandbox's guarded versions, as opened before them. Returns how many.
int push_globals(lua_State* L, std::initializer_list<const char*> names);
/// A lua_Writer for lua_dump: appends to the std::string `ud` (no exception crosses Lua).
int append_bytecode(lua_State* L, const void* p, size_t n, void* ud);
/// Pushes the function of one of the API's Lua-written parts (`source`, a string literal).
/// Each part is compiled once per process, in a scratch state; every state then loads its
/// bytecode, so each run's fresh state skips the parser and sees the same allocations.
/// Raises on failure (out of memory).
void load_builtin(lua_State* L, const char* source, const char* chunkname);

/// Everything above.
void open_scenario_api(lua_State* L);

}  // namespace spindle::lua
