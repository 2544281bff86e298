// Locks and signals for scripts: mutex([name]), rwlock([name]), semaphore(permits [, name]),
// notify([name]) and barrier(n [, name]).
//
// Waiting calls (lock, read, write, acquire, notified, wait) yield like every other
// waiting call, and all but barrier wait work as select branches. Guards and permits
// are userdata that release on unlock() / release(), on __close (`local g <close> =
// m:lock()`) or when collected; using one after it was released raises. The
// with / with_read / with_write helpers hold the guard in a <close> variable of a
// small Lua function, so the function they call may itself wait, and the lock is
// released however it returns (or raises).
#include <cstring>
#include <optional>

#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"
#include "spindle/sync/barrier.h"
#include "spindle/sync/mutex.h"
#include "spindle/sync/notify.h"
#include "spindle/sync/rwlock.h"
#include "spindle/sync/semaphore.h"

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
/// A semaphore as a script sees it.
struct LuaSemaphore {
    static constexpr const char* kName = "spindle.sync.Semaphore";
    Semaphore semaphore;
};
/// Permits taken from a semaphore: release(), drop() / __close, or collection returns them.
struct LuaPermit {
    static constexpr const char* kName = "spindle.sync.Permit";
    Permit permit;
};
/// A notify as a script sees it.
struct LuaNotify {
    static constexpr const char* kName = "spindle.sync.Notify";
    Notify notify;
};
/// A barrier as a script sees it.
struct LuaBarrier {
    static constexpr const char* kName = "spindle.sync.Barrier";
    Barrier barrier;
};

/// Runs `fn` under a guard held in a <close> variable: (lock_fn, object, fn, ...).
constexpr const char* kWithHelper =
    "return function(lock, object, fn, ...) local guard <close> = lock(object) "
    "return fn(...) end";

/// Pushes a new userdata of type T holding make()'s result. The block is allocated
/// (which may raise) before make() runs, so no C++ object is left behind by a raise.
template <class T, class Make>
void push_new(lua_State* L, Make make) {
    void* mem = new_object_block<T>(L);
    emplace_object<T>(mem, make());
    luaL_setmetatable(L, T::kName);
}

/// The guard at idx, still holding its lock (raises once it was released).
template <class G>
G& held(lua_State* L, int idx, const char* what) {
    G& g = check_object<G>(L, idx);
    if (!g.guard.owns_lock()) luaL_error(L, "this %s was released", what);
    return g;
}

/// Optional name argument at idx (the default when absent).
const char* opt_name(lua_State* L, int idx, const char* fallback) {
    return luaL_optstring(L, idx, fallback);
}

/// A permit count at idx (`fallback` when absent): an integer from 0 to the semaphore maximum.
std::uint32_t check_permits(lua_State* L, int idx, std::optional<lua_Integer> fallback) {
    const lua_Integer n = fallback ? luaL_optinteger(L, idx, *fallback) : luaL_checkinteger(L, idx);
    luaL_argcheck(L, n >= 0 && n <= static_cast<lua_Integer>(Semaphore::max_permits), idx,
                  "permits must be from 0 to 536870911");
    return static_cast<std::uint32_t>(n);
}

/// Continuation of with / with_read / with_write: what the function returned.
int with_k(lua_State* L, int, lua_KContext) {
    return lua_gettop(L);
}

/// obj:with(fn, ...): upvalues (helper, lock function). Checks first, then calls
/// helper(lock, obj, fn, ...) so waits inside fn may yield.
template <class T>
int with_lock(lua_State* L) {
    check_object<T>(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    Host::from(L).check_waitable(L, nullptr);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_insert(L, 2);
    lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, &with_k);
    return with_k(L, LUA_OK, 0);
}

/// Adds obj:<name>(fn, ...) to T's methods, locking with T's method `lock_method`.
template <class T>
void add_with(lua_State* L, const char* name, const char* lock_method) {
    luaL_getmetatable(L, T::kName);
    lua_getfield(L, -1, "__index");
    if (luaL_loadbufferx(L, kWithHelper, std::strlen(kWithHelper), "=[spindle with]", "t") !=
            LUA_OK ||
        lua_pcall(L, 0, 1, 0) != LUA_OK)
        lua_error(L);
    lua_getfield(L, -2, lock_method);
    lua_pushcclosure(L, &with_lock<T>, 2);
    lua_setfield(L, -2, name);
    lua_pop(L, 2);
}

// --- mutex ---------------------------------------------------------------------------

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

// --- rwlock --------------------------------------------------------------------------

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

// --- semaphore -----------------------------------------------------------------------

/// The branch acquiring `n` permits of `s`: a permit, or nil, "closed".
Branch acquire_n(LuaSemaphore& s, std::uint32_t n) {
    auto* op = new AcquireOp(s.semaphore.acquire(n));
    Branch b;
    b.op.reset(op);
    b.push = [op](lua_State* L) {
        void* mem = new_object_block<LuaPermit>(L);  // before taking the permit
        auto* p = emplace_object<LuaPermit>(mem, op->result());
        if (p->permit.valid()) {
            luaL_setmetatable(L, LuaPermit::kName);
            return 1;
        }
        p->~LuaPermit();  // an empty permit: the semaphore was closed
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_pushliteral(L, "closed");
        return 2;
    };
    return b;
}

/// select's builder: `{ acquire = s [, n = k] }` (the entry table sits just below s).
Branch acquire_branch(lua_State* L, int idx) {
    LuaSemaphore& s = check_object<LuaSemaphore>(L, idx);
    std::uint32_t n = 1;
    if (idx > 1 && lua_type(L, idx - 1) == LUA_TTABLE) {
        lua_getfield(L, idx - 1, "acquire");
        const bool entry = lua_rawequal(L, -1, idx);
        lua_pop(L, 1);
        if (entry) {
            lua_getfield(L, idx - 1, "n");
            int isnum = 0;
            const lua_Integer k = lua_tointegerx(L, -1, &isnum);
            const bool none = lua_isnil(L, -1);
            lua_pop(L, 1);
            if (!none && (!isnum || k < 0 || k > static_cast<lua_Integer>(Semaphore::max_permits)))
                luaL_error(L, "select: acquire's 'n' must be an integer from 0 to 536870911");
            if (!none) n = static_cast<std::uint32_t>(k);
        }
    }
    return acquire_n(s, n);
}

int l_semaphore(lua_State* L) {
    const std::uint32_t permits = check_permits(L, 1, std::nullopt);
    const char* name = opt_name(L, 2, "semaphore");
    push_new<LuaSemaphore>(L, [=] { return Semaphore(permits, name); });
    return 1;
}

/// s:acquire([n])'s builder: the count (checked already) is the argument after s.
Branch acquire_arg_branch(lua_State* L, int idx) {
    return acquire_n(check_object<LuaSemaphore>(L, idx), check_permits(L, idx + 1, 1));
}

/// s:acquire([n]) waits -> a permit, or nil, "closed".
int l_semaphore_acquire(lua_State* L) {
    check_object<LuaSemaphore>(L, 1);
    check_permits(L, 2, 1);
    Host::from(L).check_waitable(L, "acquire");
    return finish_wait(L, complete_or_submit(L, &acquire_arg_branch, 1));
}

int l_semaphore_try_acquire(lua_State* L) {
    LuaSemaphore& s = check_object<LuaSemaphore>(L, 1);
    const std::uint32_t n = check_permits(L, 2, 1);
    void* mem = new_object_block<LuaPermit>(L);
    std::optional<Permit> p = s.semaphore.try_acquire(n);
    if (!p) {
        lua_pushnil(L);
        return 1;
    }
    emplace_object<LuaPermit>(mem, std::move(*p));
    p.reset();
    luaL_setmetatable(L, LuaPermit::kName);
    return 1;
}

int l_semaphore_available(lua_State* L) {
    lua_pushinteger(L, check_object<LuaSemaphore>(L, 1).semaphore.available());
    return 1;
}

int l_semaphore_add_permits(lua_State* L) {
    LuaSemaphore& s = check_object<LuaSemaphore>(L, 1);
    const std::uint32_t n = check_permits(L, 2, std::nullopt);
    if (n > Semaphore::max_permits - s.semaphore.available())
        luaL_error(L, "add_permits: the semaphore would exceed 536870911 permits");
    s.semaphore.add_permits(n);
    return 0;
}

int l_semaphore_close(lua_State* L) {
    check_object<LuaSemaphore>(L, 1).semaphore.close();
    return 0;
}
int l_semaphore_is_closed(lua_State* L) {
    lua_pushboolean(L, check_object<LuaSemaphore>(L, 1).semaphore.is_closed());
    return 1;
}

LuaPermit& live_permit(lua_State* L, int idx) {
    LuaPermit& p = check_object<LuaPermit>(L, idx);
    if (!p.permit.valid()) luaL_error(L, "this permit was released");
    return p;
}
int l_permit_release(lua_State* L) {
    live_permit(L, 1).permit.release();
    return 0;
}
int l_permit_forget(lua_State* L) {
    live_permit(L, 1).permit.forget();
    return 0;
}
int l_permit_drop(lua_State* L) {
    check_object<LuaPermit>(L, 1).permit.release();
    return 0;
}
int l_permit_permits(lua_State* L) {
    lua_pushinteger(L, check_object<LuaPermit>(L, 1).permit.permits());
    return 1;
}

// --- notify --------------------------------------------------------------------------

Branch notified_branch(lua_State* L, int idx) {
    LuaNotify& n = check_object<LuaNotify>(L, idx);
    Branch b;
    b.op.reset(new NotifiedOp(n.notify.notified()));
    b.push = [](lua_State*) { return 0; };
    return b;
}

int l_notify(lua_State* L) {
    const char* name = opt_name(L, 1, "notify");
    push_new<LuaNotify>(L, [name] { return Notify(name); });
    return 1;
}
int l_notify_one(lua_State* L) {
    check_object<LuaNotify>(L, 1).notify.notify_one();
    return 0;
}
int l_notify_waiters(lua_State* L) {
    check_object<LuaNotify>(L, 1).notify.notify_waiters();
    return 0;
}

// --- barrier -------------------------------------------------------------------------

Branch barrier_branch(lua_State* L, int idx) {
    LuaBarrier& br = check_object<LuaBarrier>(L, idx);
    auto* op = new BarrierWaitOp(br.barrier.wait());
    Branch b;
    b.op.reset(op);
    b.push = [op](lua_State* L) {
        lua_pushboolean(L, op->result());
        return 1;
    };
    return b;
}

int l_barrier(lua_State* L) {
    const lua_Integer n = luaL_checkinteger(L, 1);
    luaL_argcheck(L, n >= 0 && n < kUnbounded, 1, "the number of parties must be 0 or more");
    const char* name = opt_name(L, 2, "barrier");
    push_new<LuaBarrier>(L, [=] { return Barrier(static_cast<std::uint32_t>(n), name); });
    return 1;
}
int l_barrier_parties(lua_State* L) {
    lua_pushinteger(L, check_object<LuaBarrier>(L, 1).barrier.parties());
    return 1;
}

}  // namespace

void open_sync_api(lua_State* L) {
    static const luaL_Reg mutex_methods[] = {{"lock", &waiting_method<&lock_branch>},
                                             {"try_lock", &l_mutex_try_lock},
                                             {"is_locked", &l_mutex_is_locked},
                                             {nullptr, nullptr}};
    static const luaL_Reg mutex_guard_methods[] = {{"unlock", &l_mutex_guard_unlock},
                                                   {"drop", &l_mutex_guard_drop},
                                                   {"is_held", &l_mutex_guard_is_held},
                                                   {nullptr, nullptr}};
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
    static const luaL_Reg semaphore_methods[] = {{"acquire", &l_semaphore_acquire},
                                                 {"try_acquire", &l_semaphore_try_acquire},
                                                 {"available", &l_semaphore_available},
                                                 {"add_permits", &l_semaphore_add_permits},
                                                 {"close", &l_semaphore_close},
                                                 {"is_closed", &l_semaphore_is_closed},
                                                 {nullptr, nullptr}};
    static const luaL_Reg permit_methods[] = {{"release", &l_permit_release},
                                              {"forget", &l_permit_forget},
                                              {"drop", &l_permit_drop},
                                              {"permits", &l_permit_permits},
                                              {nullptr, nullptr}};
    static const luaL_Reg notify_methods[] = {{"notified", &waiting_method<&notified_branch>},
                                              {"notify_one", &l_notify_one},
                                              {"notify_waiters", &l_notify_waiters},
                                              {nullptr, nullptr}};
    static const luaL_Reg barrier_methods[] = {{"wait", &waiting_method<&barrier_branch>},
                                               {"parties", &l_barrier_parties},
                                               {nullptr, nullptr}};
    define_type<LuaMutex>(L, mutex_methods);
    define_type<LuaMutexGuard>(L, mutex_guard_methods);
    define_type<LuaRwLock>(L, rwlock_methods);
    define_type<LuaReadGuard>(L, read_guard_methods);
    define_type<LuaWriteGuard>(L, write_guard_methods);
    define_type<LuaSemaphore>(L, semaphore_methods);
    define_type<LuaPermit>(L, permit_methods);
    define_type<LuaNotify>(L, notify_methods);
    define_type<LuaBarrier>(L, barrier_methods);
    add_with<LuaMutex>(L, "with", "lock");
    add_with<LuaRwLock>(L, "with_read", "read");
    add_with<LuaRwLock>(L, "with_write", "write");

    Host& host = Host::from(L);
    host.add_builder("lock", LuaMutex::kName, &lock_branch);
    host.add_builder("read", LuaRwLock::kName, &read_branch);
    host.add_builder("write", LuaRwLock::kName, &write_branch);
    host.add_builder("acquire", LuaSemaphore::kName, &acquire_branch);
    host.add_builder("notified", LuaNotify::kName, &notified_branch);

    static const luaL_Reg globals[] = {{"mutex", &l_mutex},         {"rwlock", &l_rwlock},
                                       {"semaphore", &l_semaphore}, {"notify", &l_notify},
                                       {"barrier", &l_barrier},     {nullptr, nullptr}};
    lua_pushglobaltable(L);
    luaL_setfuncs(L, globals, 0);
    lua_pop(L, 1);
}

}  // namespace spindle::lua
