// The task-level scenario API: spawn, join handles, sleep, work, yield_now,
// now, print, select and timeout.
#include <cstring>
#include <optional>

#include "spindle/core/local_set.h"
#include "spindle/core/ops.h"
#include "spindle/core/rayon.h"
#include "spindle/core/sleep.h"
#include "spindle/core/spawn.h"
#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"
#include "spindle/lua/sandbox.h"

namespace spindle::lua {

namespace {

/// A task handle as a script sees it.
struct LuaJoin {
    static constexpr const char* kName = "spindle.JoinHandle";
    JoinHandle<LuaResults> handle;
    std::string name;
    TaskFlavor flavor = TaskFlavor::async;
};

/// The first line of a failure message (the traceback stays in the log).
std::string first_line(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

Branch join_branch(lua_State* L, int idx) {
    LuaJoin& j = check_object<LuaJoin>(L, idx);
    Branch b;
    auto* op = new JoinOp<LuaResults>(j.handle.join());
    b.op.reset(op);
    b.push = [op](lua_State* L) {
        JoinResult<LuaResults> r = op->result();
        if (r.ok()) {
            lua_pushboolean(L, 1);
            if (r.value->empty()) return 1;
            (*r.value)[0]->push(L);  // the packed results table {..., n = n}
            const int packed = lua_gettop(L);
            lua_getfield(L, packed, "n");
            const auto n = static_cast<int>(lua_tointeger(L, -1));
            lua_pop(L, 1);
            luaL_checkstack(L, n, "too many results");
            for (int i = 1; i <= n; ++i)
                lua_rawgeti(L, packed, i);
            lua_remove(L, packed);
            return n + 1;
        }
        lua_pushboolean(L, 0);
        const std::string msg = r.aborted()  ? "aborted"
                                : r.failed() ? first_line(r.error)
                                             : "already joined";
        lua_pushlstring(L, msg.data(), msg.size());
        return 2;
    };
    return b;
}

}  // namespace

Branch sleep_branch(lua_State* L, int idx) {
    const Nanos d = check_ms(L, idx);
    Branch b;
    b.op.reset(new SleepOp(spindle::now() + d));
    b.push = [](lua_State*) { return 0; };
    return b;
}

namespace {

/// Spawns the function at `base` (its arguments above it) as a task named `name`.
int spawn_at(lua_State* L, int base, const char* name, TaskFlavor flavor, ResourceId pool,
             WorkerId pin = kNoWorker) {
    luaL_checktype(L, base, LUA_TFUNCTION);
    Host::from(L).check_room(L, Host::kTaskBytes);  // the task's frames and record
    const int nargs = lua_gettop(L) - base;
    lua_State* co = lua_newthread(L);
    lua_insert(L, base);          // ... thread fn args...
    lua_xmove(L, co, nargs + 1);  // fn args... now on the thread
    Host& host = Host::from(L);
    const std::string task_name = name;        // the name's string may be collected once moved
    void* mem = new_object_block<LuaJoin>(L);  // allocate before any C++ object exists
    lua_pushvalue(L, base);                    // the thread, to pin it
    LuaValue thread = host.ref(L);
    auto task = host.drive_task(thread, co, nargs, Host::TaskCharge(host));
    emplace_object<LuaJoin>(mem,
                            flavor == TaskFlavor::rayon
                                ? spawn_job(pool, task_name, std::move(task))
                            : flavor == TaskFlavor::local
                                ? spawn_local_on(pin, task_name, std::move(task))
                                : spindle::detail::spawn_with(task_name, flavor, std::move(task)),
                            task_name, flavor);
    luaL_setmetatable(L, LuaJoin::kName);
    return 1;
}

}  // namespace

int spawn_task(lua_State* L, TaskFlavor flavor) {
    int base = 1;
    if (lua_type(L, 1) == LUA_TSTRING) base = 2;
    const char* name = base == 2                      ? lua_tostring(L, 1)
                       : flavor == TaskFlavor::thread ? "thread"
                                                      : "task";
    return spawn_at(L, base, name, flavor, 0);
}

int spawn_local_task(lua_State* L) {
    const lua_Integer worker = luaL_checkinteger(L, 1);
    if (worker < 0 || worker >= kMaxWorkers) return luaL_argerror(L, 1, "no such worker");
    int base = 2;
    const char* name = "task";
    if (lua_type(L, 2) == LUA_TSTRING) {
        name = lua_tostring(L, 2);
        base = 3;
    } else if (lua_isnil(L, 2)) {
        base = 3;
    }
    return spawn_at(L, base, name, TaskFlavor::local, 0, static_cast<WorkerId>(worker));
}

int spawn_job_task(lua_State* L) {
    const auto pool = static_cast<ResourceId>(luaL_checkinteger(L, 1));
    const char* name = luaL_checkstring(L, 2);
    return spawn_at(L, 3, name, TaskFlavor::rayon, pool);
}

int join_job(lua_State* L, bool steal) {
    Host& host = Host::from(L);
    host.check_waitable(L, nullptr);
    if (steal) {  // no cooperative budget either: that is tokio's, not Rayon's
        Branch branch = join_branch(L, 1);
        if (branch.op->try_complete())
            return finish_wait(L, [&] {
                const int n = branch.push(L);
                return n < 0 ? -2 : n;
            }());
        host.submit_wait(L, std::move(branch));
        if (Request* r = host.pending_request(L)) r->steal_wait = true;
        return Host::yield(L);
    }
    return finish_wait(L, complete_or_block(L, &join_branch, 1));
}

namespace {

int l_spawn(lua_State* L) {
    return spawn_task(L, TaskFlavor::async);
}
int l_spawn_blocking(lua_State* L) {
    return spawn_task(L, TaskFlavor::blocking);
}

/// h:join(): awaits a task; an OS thread's handle blocks the caller, as std's join does.
int l_join(lua_State* L) {
    if (check_object<LuaJoin>(L, 1).flavor == TaskFlavor::thread)
        return blocking_method<&join_branch>(L);
    return waiting_method<&join_branch>(L);
}

int l_join_abort(lua_State* L) {
    LuaJoin& j = check_object<LuaJoin>(L, 1);
    if (j.flavor == TaskFlavor::thread)
        return luaL_error(L, "an OS thread cannot be aborted (std::thread has no abort)");
    j.handle.abort();
    return 0;
}
int l_join_is_finished(lua_State* L) {
    lua_pushboolean(L, check_object<LuaJoin>(L, 1).handle.is_finished());
    return 1;
}
int l_join_name(lua_State* L) {
    const std::string& n = check_object<LuaJoin>(L, 1).name;
    lua_pushlstring(L, n.data(), n.size());
    return 1;
}
int l_join_id(lua_State* L) {
    lua_pushinteger(L, check_object<LuaJoin>(L, 1).handle.id());
    return 1;
}
int l_join_tostring(lua_State* L) {
    LuaJoin& j = check_object<LuaJoin>(L, 1);
    lua_pushfstring(L, "%s %d '%s'", j.flavor == TaskFlavor::thread ? "thread" : "task",
                    static_cast<int>(j.handle.id()), j.name.c_str());
    return 1;
}

int l_sleep(lua_State* L) {
    Host::from(L).check_waitable(L, "sleep");
    return finish_wait(L, complete_or_submit(L, &sleep_branch, 1));
}

void submit_simple(lua_State* L, Request::Kind kind, Nanos d) {
    auto r = std::make_unique<Request>();
    r->kind = kind;
    r->duration = d;
    r->complete = [](lua_State*) { return 0; };
    Host::from(L).submit(L, std::move(r));
}

int l_work(lua_State* L) {
    const Nanos d = check_ms(L, 1);
    Host::from(L).check_waitable(L, "work");
    submit_simple(L, Request::Kind::work, d);
    return Host::yield(L);
}

int l_yield_now(lua_State* L) {
    Host::from(L).check_waitable(L, "yield_now");
    submit_simple(L, Request::Kind::yield, Nanos(0));
    return Host::yield(L);
}

int l_now(lua_State* L) {
    lua_pushnumber(L, to_ms(spindle::now()));
    return 1;
}

int l_print(lua_State* L) {
    const int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; ++i) {
        if (i > 1) luaL_addchar(&b, '\t');
        stable_tostring(L, i);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t len;
    const char* text = lua_tolstring(L, -1, &len);
    // The log lives outside the Lua heap (the trace's strings, the viewer's log),
    // so it has a limit of its own.
    if (!Host::from(L).charge_log(len))
        return luaL_error(L, "print: the run printed more than %d MiB (the log is kept in memory)",
                          static_cast<int>(Host::kLogLimit >> 20));
    Instrument& in = current_executor().instrument();
    in.emit(payload::Log{.message = in.intern(std::string_view(text, len))});
    return 0;
}

/// check(cond [, msg]): true when `cond` holds. Otherwise the failure is recorded —
/// a log event of kind check_failed, "file:line: msg", and the run's outcome becomes
/// check_failed unless something worse happens — and the task goes on, so the run's
/// picture shows what came after. Returns false then.
int l_check(lua_State* L) {
    luaL_checkany(L, 1);
    if (lua_toboolean(L, 1)) {
        lua_pushboolean(L, 1);
        return 1;
    }
    std::string message = "check failed";
    if (!lua_isnoneornil(L, 2)) {
        stable_tostring(L, 2);
        message = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    luaL_where(L, 1);  // "file:line:"
    std::string at = lua_tostring(L, -1);
    lua_pop(L, 1);
    while (!at.empty() && (at.back() == ' ' || at.back() == ':'))
        at.pop_back();
    const std::string line = (at.empty() ? std::string() : at + ": ") + message;
    Host& host = Host::from(L);
    if (!host.charge_log(line.size()))
        return luaL_error(L, "check: the run printed more than %d MiB (the log is kept in memory)",
                          static_cast<int>(Host::kLogLimit >> 20));
    host.note_check(line);
    Instrument& in = current_executor().instrument();
    in.emit(payload::Log{.message = in.intern(line), .type = LogKind::check_failed});
    current_executor().note_check_failed();
    lua_pushboolean(L, 0);
    return 1;
}

/// The operation a select entry names, and the stack value it applies to.
struct EntryOp {
    const char* op;
    BranchBuilder builder;
};

constexpr const char* kOps[] = {"recv",     "send", "sleep",   "join", "changed",
                                "notified", "lock", "acquire", "read", "write"};

/// Pushes the entry's object (and a send's value) and returns its builder;
/// raises with the branch number when the entry is malformed.
/// A crossbeam channel end's type name (its operations block the calling thread).
bool is_crossbeam_type(const char* type) {
    return std::strncmp(type, "spindle.crossbeam.", 18) == 0;
}

EntryOp check_entry(lua_State* L, int entry, lua_Integer i, bool crossbeam) {
    if (lua_type(L, entry) != LUA_TTABLE) luaL_error(L, "select: branch %d is not a table", (int)i);
    const char* found = nullptr;
    for (const char* op : kOps) {
        lua_pushstring(L, op);
        if (lua_rawget(L, entry) != LUA_TNIL) {
            if (found)
                luaL_error(L, "select: branch %d names both '%s' and '%s'", (int)i, found, op);
            found = op;
            lua_insert(L, entry + 1);  // keep it right after the entry
        } else {
            lua_pop(L, 1);
        }
    }
    if (!found)
        luaL_error(L,
                   "select: branch %d names no operation (recv, send, sleep, join, changed, "
                   "notified, lock, acquire, read, write)",
                   (int)i);
    if (std::strcmp(found, "sleep") == 0) {
        if (crossbeam)
            luaL_error(L, "crossbeam.select: branch %d: use the timeout option, not sleep", (int)i);
        const lua_Number ms = lua_tonumber(L, entry + 1);
        if (!lua_isnumber(L, entry + 1) || !(ms >= 0) || ms > 1e12)
            luaL_error(L, "select: branch %d: sleep needs a duration in ms (>= 0)", (int)i);
        return {found, &sleep_branch};
    }
    if (std::strcmp(found, "send") == 0) {
        lua_pushliteral(L, "value");
        lua_rawget(L, entry);
    }
    const char* type = type_name_of(L, entry + 1);
    const BranchBuilder b = Host::from(L).builder(found, type);  // temporaries end here
    if (!b)
        luaL_error(L, "%s: branch %d: cannot '%s' on a %s",
                   crossbeam ? "crossbeam.select" : "select", (int)i, found,
                   *type ? type : luaL_typename(L, entry + 1));
    if (crossbeam && !is_crossbeam_type(type))
        luaL_error(L,
                   "crossbeam.select: branch %d: a %s is not a crossbeam channel (use select, "
                   "which awaits)",
                   (int)i, type);
    if (!crossbeam && is_crossbeam_type(type))
        luaL_error(L,
                   "select: branch %d: a crossbeam channel cannot be awaited (crossbeam.select "
                   "blocks the thread)",
                   (int)i);
    if (std::strcmp(found, "send") == 0 && lua_isnil(L, entry + 2))
        luaL_error(L, "select: branch %d: send needs a non-nil 'value'", (int)i);
    return {found, b};
}

void submit_select(lua_State* L, lua_Integer n, bool biased, bool crossbeam) {
    Host& host = Host::from(L);
    {
        auto request = std::make_unique<Request>();
        request->kind = Request::Kind::select;
        request->biased = biased;
        request->blocking = crossbeam;
        host.submit(L, std::move(request));
    }
    // Branches go straight into the stored request: if building one still raises
    // (a receiver dropped meanwhile), nothing built so far is orphaned. Entries are
    // read raw, so no script code (an __index) runs that could replace the request.
    Request* r = host.pending_request(L);
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_settop(L, 2);
        lua_rawgeti(L, 1, i);
        const EntryOp e = check_entry(L, 3, i, crossbeam);
        r->branches.push_back(e.builder(L, 4));
        lua_pushliteral(L, "name");
        lua_rawget(L, 3);
        r->names.emplace_back(lua_isstring(L, -1) ? lua_tostring(L, -1) : e.op);
    }
}

}  // namespace

int run_select(lua_State* L, bool crossbeam) {
    const char* what = crossbeam ? "crossbeam.select" : "select";
    Host::from(L).check_waitable(L, what);
    luaL_checktype(L, 1, LUA_TTABLE);
    const auto n = static_cast<lua_Integer>(lua_rawlen(L, 1));
    if (n == 0) return luaL_error(L, "%s: needs at least one branch", what);
    bool biased = false;
    std::optional<Nanos> timeout;
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "biased");
        lua_rawget(L, 2);
        biased = lua_toboolean(L, -1);
        if (crossbeam) {
            lua_pushliteral(L, "timeout");
            if (lua_rawget(L, 2) != LUA_TNIL) timeout = check_ms(L, lua_gettop(L));
        }
    }
    lua_settop(L, 2);
    // Validate every branch first (this may raise); building them afterwards cannot.
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_settop(L, 2);
        lua_rawgeti(L, 1, i);
        check_entry(L, 3, i, crossbeam);
    }
    submit_select(L, n, biased, crossbeam);
    if (timeout) {
        Request* r = Host::from(L).pending_request(L);
        Branch b;
        b.op.reset(new SleepOp(spindle::now() + *timeout));
        b.push = [](lua_State*) { return 0; };
        r->branches.push_back(std::move(b));
        r->names.emplace_back("timeout");
        r->last_is_timeout = true;
    }
    return Host::yield(L);
}

namespace {

int l_select(lua_State* L) {
    // select('#', ...) and select(n, ...) keep their standard meaning.
    if (lua_type(L, 1) == LUA_TNUMBER || lua_type(L, 1) == LUA_TSTRING) {
        lua_pushvalue(L, lua_upvalueindex(1));
        lua_insert(L, 1);
        lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
        return lua_gettop(L);
    }
    return run_select(L, false);
}

int l_timeout(lua_State* L) {
    const Nanos d = check_ms(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    Host& host = Host::from(L);
    host.check_waitable(L, "timeout");
    if (host.is_join_branch(L))
        return luaL_error(L,
                          "timeout: cannot run inside a join function (its waits would not be "
                          "multiplexed); spawn a task for it");
    const int nargs = lua_gettop(L) - 2;
    lua_State* child = lua_newthread(L);
    lua_insert(L, 2);
    lua_xmove(L, child, nargs + 1);
    LuaValue child_ref = host.ref(L);
    {
        auto r = std::make_unique<Request>();
        r->kind = Request::Kind::timeout;
        r->duration = d;
        r->child = child;
        r->child_ref = std::move(child_ref);
        r->child_nargs = nargs;
        host.submit(L, std::move(r));
    }
    return Host::yield(L);
}

/// scenario{} during the real run: the settings were read by the dry run already,
/// which only sees a scenario{} that comes before any other runtime call.
int l_scenario(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    Host& host = Host::from(L);
    if (++host.scenario_calls > 1) return luaL_error(L, "scenario{} may be called only once");
    if (!host.scenario_settings_read)
        return luaL_error(L,
                          "scenario{} must come before any other runtime call (its settings "
                          "are read before the run starts)");
    return 0;
}

}  // namespace

void open_core_api(lua_State* L) {
    static const luaL_Reg join_methods[] = {
        {"join", &l_join},      {"abort", &l_join_abort}, {"is_finished", &l_join_is_finished},
        {"name", &l_join_name}, {"id", &l_join_id},       {nullptr, nullptr}};
    define_type<LuaJoin>(L, join_methods);
    luaL_getmetatable(L, LuaJoin::kName);
    lua_pushcfunction(L, &l_join_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    Host& host = Host::from(L);
    host.add_builder("join", LuaJoin::kName, &join_branch);

    static const luaL_Reg globals[] = {
        {"spawn", &l_spawn},         {"spawn_blocking", &l_spawn_blocking},
        {"sleep", &l_sleep},         {"work", &l_work},
        {"yield_now", &l_yield_now}, {"now", &l_now},
        {"print", &l_print},         {"timeout", &l_timeout},
        {"scenario", &l_scenario},   {"check", &l_check},
        {nullptr, nullptr}};
    lua_pushglobaltable(L);
    luaL_setfuncs(L, globals, 0);
    lua_getfield(L, -1, "select");
    lua_pushcclosure(L, &l_select, 1);
    lua_setfield(L, -2, "select");
    lua_pop(L, 1);
}

}  // namespace spindle::lua
