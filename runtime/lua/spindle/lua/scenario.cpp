// Running a scenario: read the file; prepare it — compile it to bytecode and take
// its scenario{} settings from a dry run — then run that bytecode's top-level code
// as the task `main` on a fresh Runtime. Only source text is compiled here; the
// bytecode a run loads is always the one prepare_scenario made.
#include "spindle/lua/scenario.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <type_traits>

#include "spindle/core/runtime.h"
#include "spindle/lua/api.h"
#include "spindle/lua/host.h"
#include "spindle/lua/sandbox.h"

namespace spindle::lua {

namespace {

constexpr const char* kDryRunStop = "spindle: dry run stops here";

/// Anything the dry run meets besides scenario{}: indexing or calling it stops the run.
int stopper_call(lua_State* L) {
    return luaL_error(L, "%s", kDryRunStop);
}
int stopper_index(lua_State* L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    return 1;
}

int dry_scenario(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushvalue(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "spindle.settings");
    return luaL_error(L, "%s", kDryRunStop);
}

int dry_print(lua_State*) {
    return 0;
}

/// What read_settings found wrong (a message is made from it afterwards).
enum class SettingsError {
    none,
    workers,
    seed,
    policy,
    poll_cost,
    max_blocking_threads,
    strategy,
    depth,
    pct_steps,
    jitter
};

std::string describe(SettingsError e) {
    switch (e) {
        case SettingsError::none:
            break;
        case SettingsError::workers:
            return "scenario{}: workers must be an integer from 1 to " +
                   std::to_string(kMaxWorkers);
        case SettingsError::seed:
            return "scenario{}: seed must be a non-negative integer";
        case SettingsError::policy:
            return "scenario{}: policy must be \"work-stealing\", \"global-queue\" or "
                   "\"current-thread\"";
        case SettingsError::poll_cost:
            return "scenario{}: poll_cost must be a number of ms from 0 to 1000";
        case SettingsError::max_blocking_threads:
            return "scenario{}: max_blocking_threads must be an integer from 1 to " +
                   std::to_string(kMaxBlockingThreads);
        case SettingsError::strategy:
            return "scenario{}: strategy must be \"fixed\", \"random\" or \"pct\"";
        case SettingsError::depth:
            return "scenario{}: depth must be an integer from 1 to " + std::to_string(kMaxPctDepth);
        case SettingsError::pct_steps:
            return "scenario{}: pct_steps must be a positive integer";
        case SettingsError::jitter:
            return "scenario{}: jitter must be an integer percentage from 0 to " +
                   std::to_string(kMaxJitterPct);
    }
    return {};
}

struct SettingsRead {
    ScenarioSettings* out;
    SettingsError error = SettingsError::none;
    bool found = false;
};

/// Reads the table scenario{} stored into SettingsRead (light userdata, argument 1).
/// Runs in a protected call, and reads the table's own fields only (rawget): no
/// script code (an __index, a __pairs) runs on the host's behalf, and an error
/// (out of memory) is caught. Assigns only finished values, so a raise leaves no
/// C++ temporary behind.
int read_settings_protected(lua_State* L) {
    auto& r = *static_cast<SettingsRead*>(lua_touserdata(L, 1));
    ScenarioSettings& out = *r.out;
    if (lua_getfield(L, LUA_REGISTRYINDEX, "spindle.settings") != LUA_TTABLE) return 0;
    r.found = true;
    const int t = lua_gettop(L);
    auto field = [&](const char* key) {
        lua_pushstring(L, key);
        return lua_rawget(L, t);
    };
    if (field("name") == LUA_TSTRING) out.name = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (field("description") == LUA_TSTRING) out.description = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (field("workers") != LUA_TNIL) {
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > kMaxWorkers)
            r.error = SettingsError::workers;
        else
            out.workers = static_cast<int>(lua_tointeger(L, -1));
    }
    lua_pop(L, 1);
    if (field("seed") != LUA_TNIL) {
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
            r.error = SettingsError::seed;
        else
            out.seed = static_cast<std::uint64_t>(lua_tointeger(L, -1));
    }
    lua_pop(L, 1);
    if (field("policy") != LUA_TNIL) {
        const char* p = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : nullptr;
        auto policy = p ? parse_policy(p) : std::nullopt;
        if (!policy)
            r.error = SettingsError::policy;
        else
            out.policy = *policy;
    }
    lua_pop(L, 1);
    if (field("poll_cost") != LUA_TNIL) {
        const lua_Number ms = lua_tonumber(L, -1);
        if (lua_type(L, -1) != LUA_TNUMBER || !(ms >= 0) || ms > 1000)
            r.error = SettingsError::poll_cost;
        else
            out.poll_cost = Nanos(static_cast<std::int64_t>(std::llround(ms * 1e6)));
    }
    lua_pop(L, 1);
    if (field("max_blocking_threads") != LUA_TNIL) {
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 ||
            lua_tointeger(L, -1) > kMaxBlockingThreads)
            r.error = SettingsError::max_blocking_threads;
        else
            out.max_blocking_threads = static_cast<int>(lua_tointeger(L, -1));
    }
    lua_pop(L, 1);
    if (field("strategy") != LUA_TNIL) {
        const char* p = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : nullptr;
        auto strategy = p ? parse_strategy(p) : std::nullopt;
        if (!strategy)
            r.error = SettingsError::strategy;
        else
            out.strategy = *strategy;
    }
    lua_pop(L, 1);
    auto integer = [&](const char* key, lua_Integer lo, lua_Integer hi, SettingsError e,
                       auto& into) {
        if (field(key) != LUA_TNIL) {
            if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < lo || lua_tointeger(L, -1) > hi)
                r.error = e;
            else
                into = static_cast<std::remove_reference_t<decltype(*into)>>(lua_tointeger(L, -1));
        }
        lua_pop(L, 1);
    };
    integer("depth", 1, kMaxPctDepth, SettingsError::depth, out.pct_depth);
    integer("pct_steps", 1, LUA_MAXINTEGER, SettingsError::pct_steps, out.pct_steps);
    integer("jitter", 0, kMaxJitterPct, SettingsError::jitter, out.jitter_pct);
    return 0;
}

/// The error a failed load left on L's stack (popped), naming the file.
std::string load_error(lua_State* L, const std::string& chunkname) {
    std::string msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "cannot load";
    lua_pop(L, 1);
    if (msg.rfind(chunkname, 0) != 0) msg = chunkname + ": " + msg;  // say which file
    return msg;
}

/// Compiles `source` as a text chunk; pushes the function or returns the error.
std::string load_chunk(lua_State* L, const std::string& source, const std::string& chunkname) {
    if (!source.empty() && source[0] == LUA_SIGNATURE[0])
        return chunkname +
               ": is a precompiled (bytecode) Lua chunk; scenarios must be Lua source text";
    const std::string at = "@" + chunkname;
    if (luaL_loadbufferx(L, source.data(), source.size(), at.c_str(), "t") == LUA_OK) return {};
    return load_error(L, chunkname);
}

/// Loads the bytecode prepare_scenario made (and only that: scripts cannot reach
/// here); pushes the function or returns the error (out of memory).
std::string load_prepared(lua_State* L, const PreparedScenario& p) {
    const std::string at = "@" + p.chunkname;
    if (luaL_loadbufferx(L, p.bytecode.data(), p.bytecode.size(), at.c_str(), "b") == LUA_OK)
        return {};
    return load_error(L, p.chunkname);
}

/// Compiles the chunk into `out`, then runs it up to its scenario{} call (or its
/// first use of the runtime) in a throwaway state, to learn the settings before
/// the runtime exists.
void dry_run(const std::string& source, const std::string& chunkname, const Budgets& budgets,
             std::chrono::steady_clock::time_point deadline, Watchdog* watchdog,
             PreparedScenario& out) {
    Host host(budgets, chunkname, watchdog);
    host.set_deadline(deadline);
    lua_State* L = host.state();
    open_sandbox(L);
    // Every runtime name resolves to a "stopper" that ends the dry run when used.
    lua_newtable(L);
    lua_newtable(L);
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, &stopper_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, &stopper_call);
    lua_setfield(L, -2, "__call");
    lua_pushliteral(L, "spindle.dry_run");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    for (const char* name :
         {"spawn",    "spawn_blocking", "sleep",     "work",     "yield_now", "now",
          "select",   "timeout",        "mpsc",      "oneshot",  "broadcast", "watch",
          "mutex",    "rwlock",         "semaphore", "notify",   "barrier",   "rand",
          "thread",   "crossbeam",      "dashmap",   "join_set", "rayon",     "join",
          "try_join", "local_set"}) {
        lua_pushvalue(L, -1);
        lua_setglobal(L, name);
    }
    lua_pop(L, 1);
    lua_getglobal(L, "math");
    lua_pushcfunction(L, &stopper_call);
    lua_setfield(L, -2, "random");
    lua_pop(L, 1);
    lua_register(L, "scenario", &dry_scenario);
    lua_register(L, "print", &dry_print);
    out.compile_error = load_chunk(L, source, chunkname);
    if (!out.compile_error.empty()) return;
    // With its debug info: a run's errors and tracebacks still say file:line.
    if (lua_dump(L, &append_bytecode, &out.bytecode, 0) != 0 || out.bytecode.empty()) {
        out.bytecode.clear();
        out.compile_error = chunkname + ": cannot keep the compiled chunk (out of memory)";
        return;
    }
    {
        auto scope = host.running(L);
        lua_pcall(L, 0, 0, 0);  // ends at the stopper, the end of the chunk, or an error
    }
    lua_settop(L, 0);
    SettingsRead read{&out.settings};
    lua_pushcfunction(L, &read_settings_protected);
    lua_pushlightuserdata(L, &read);
    const int status = lua_pcall(L, 1, 0, 0);
    out.settings_found = read.found;
    // A dry run stopped by a budget may leave its state unusable (an overflowed
    // stack): the run itself meets the same budget and reports it.
    if (status != LUA_OK)
        out.settings_error =
            host.stop_pending() ? "" : "scenario{}: its settings could not be read";
    else
        out.settings_error = describe(read.error);
}

std::string budget_reason(const Host& host, const Runtime& rt, const ScenarioOptions& o) {
    const Budgets& b = o.budgets;
    if (o.cancel && o.cancel->load()) return "cancelled";
    if (host.memory_exceeded())
        return "out of memory: the heap budget (Lua heap and host objects) of " +
               std::to_string(b.heap_bytes >> 20) + " MiB is spent";
    if (host.wall_clock_exceeded())
        return "the wall-clock budget of " + std::to_string(b.wall_clock.count()) + " ms is spent";
    if (b.events && rt.event_count() >= b.events)
        return "the event budget of " + std::to_string(b.events) + " events is spent";
    std::ostringstream s;
    s << "the virtual-time budget of " << to_ms(b.virtual_time) << " ms is spent";
    return s.str();
}

std::string stem_of(const std::string& chunkname) {
    std::filesystem::path p(chunkname);
    return p.stem().string();
}

}  // namespace

int ScenarioResult::exit_code() const {
    switch (status) {
        case Status::unreadable:
            return 2;
        case Status::compile_error:
        case Status::bad_settings:
            return 1;
        case Status::ran:
            break;
    }
    switch (outcome) {
        case RunOutcome::completed:
            return 0;
        case RunOutcome::failed:
        case RunOutcome::check_failed:
            return 1;
        case RunOutcome::deadlock:
            return 3;
        case RunOutcome::budget_exceeded:
            return 4;
    }
    return 1;
}

ScenarioResult run_scenario(const ScenarioOptions& options) {
    std::error_code ec;
    const bool directory = std::filesystem::is_directory(options.path, ec);
    std::ifstream in(options.path, std::ios::binary);
    std::ostringstream text;
    if (in && !directory) text << in.rdbuf();
    if (directory || !in || in.bad()) {
        ScenarioResult r;
        r.status = ScenarioResult::Status::unreadable;
        r.name = options.path.stem().string();
        r.errors.push_back(options.path.string() + ": cannot read the file");
        return r;
    }
    return run_scenario_source(text.str(), options.path.string(), options);
}

namespace {

ScenarioResult run_until(const PreparedScenario& prepared, const ScenarioOptions& options,
                         std::chrono::steady_clock::time_point deadline) {
    const std::string& chunkname = prepared.chunkname;
    ScenarioResult result;
    result.name = stem_of(chunkname);

    ScenarioSettings s = prepared.settings;
    const std::string& settings_error = prepared.settings_error;
    const ScenarioSettings& o = options.overrides;
    if (o.name) s.name = o.name;
    if (o.workers) s.workers = o.workers;
    if (o.seed) s.seed = o.seed;
    if (o.policy) s.policy = o.policy;
    if (o.poll_cost) s.poll_cost = o.poll_cost;
    if (o.max_blocking_threads) s.max_blocking_threads = o.max_blocking_threads;
    if (o.strategy) s.strategy = o.strategy;
    if (o.pct_depth) s.pct_depth = o.pct_depth;
    if (o.pct_steps) s.pct_steps = o.pct_steps;
    if (o.jitter_pct) s.jitter_pct = o.jitter_pct;
    if (s.name) result.name = *s.name;
    if (s.description) result.description = *s.description;

    RuntimeConfig config;
    if (s.workers) config.workers = *s.workers;
    if (s.seed) config.seed = *s.seed;
    if (s.policy) config.policy = *s.policy;
    if (s.poll_cost) config.poll_cost = *s.poll_cost;
    if (s.max_blocking_threads) config.max_blocking_threads = *s.max_blocking_threads;
    if (s.strategy) config.strategy = *s.strategy;
    if (s.pct_depth) config.pct_depth = *s.pct_depth;
    if (s.pct_steps) config.pct_steps = *s.pct_steps;
    if (s.jitter_pct) config.jitter_pct = *s.jitter_pct;
    config.max_time = options.budgets.virtual_time;
    config.max_events = options.budgets.events;
    config.label = result.name;
    config.stop_flag = options.cancel;
    if (config.policy == Policy::current_thread) config.workers = 1;
    result.config = config;

    if (!settings_error.empty()) {
        result.status = ScenarioResult::Status::bad_settings;
        result.errors.push_back(chunkname + ": " + settings_error);
        return result;
    }

    if (!prepared.compile_error.empty()) {
        result.status = ScenarioResult::Status::compile_error;
        result.errors.push_back(prepared.compile_error);
        return result;
    }

    Host host(options.budgets, chunkname, options.watchdog);
    host.set_deadline(deadline);
    host.set_cancel_flag(options.cancel);
    host.scenario_settings_read = prepared.settings_found;
    lua_State* L = host.state();
    open_sandbox(L);
    open_scenario_api(L);
    if (std::string err = load_prepared(L, prepared); !err.empty()) {
        result.status = ScenarioResult::Status::compile_error;
        result.errors.push_back(err);
        return result;
    }
    lua_State* co = lua_newthread(L);
    lua_insert(L, -2);
    lua_xmove(L, co, 1);  // the chunk's function onto the main task's thread
    LuaValue thread = host.ref(L);

    {
        Runtime rt(config);
        for (EventSink* sink : options.sinks)
            rt.subscribe(*sink);
        host.stop_run = [&rt] { rt.request_stop(); };
        // The host's budgets (heap, wall clock) stop the run through request_stop: name
        // the one spent in run_end, so a trace of the run says it too.
        rt.set_stop_reason([&] { return budget_reason(host, rt, options); });
        // Before calling a run stuck, collect garbage: handles only a finished
        // task held (a forgotten sender) drop as Rust values would at task end.
        rt.set_idle_hook([L] { lua_gc(L, LUA_GCCOLLECT); });
        rt.block_on(host.drive_task(std::move(thread), co, 0, Host::TaskCharge(host)), "main");
        host.stop_run = nullptr;
        result.outcome = rt.outcome();
        result.duration = rt.end_time();
        result.events = rt.event_count();
        if (const DeadlockReport* d = rt.deadlock()) result.deadlock = *d;
        if (result.outcome == RunOutcome::budget_exceeded) {
            result.cancelled = options.cancel && options.cancel->load();
            result.budget_reason = rt.stop_reason();
        }
        result.config = rt.config();
    }  // the runtime (and every task frame) goes before the Lua state
    result.errors = host.errors();
    result.tracebacks = host.tracebacks();
    result.checks = host.checks();
    return result;
}

}  // namespace

std::shared_ptr<Watchdog> make_watchdog() {
    return std::make_shared<Watchdog>(&Host::hook);
}

PreparedScenario prepare_scenario(const std::string& source, const std::string& chunkname,
                                  const Budgets& budgets, Watchdog* watchdog) {
    PreparedScenario p;
    p.chunkname = chunkname;
    dry_run(source, chunkname, budgets, std::chrono::steady_clock::now() + budgets.wall_clock,
            watchdog, p);
    return p;
}

ScenarioResult run_scenario_source(const std::string& source, const std::string& chunkname,
                                   const ScenarioOptions& options) {
    // One wall-clock budget for the dry run and the run.
    const auto deadline = std::chrono::steady_clock::now() + options.budgets.wall_clock;
    PreparedScenario prepared;
    prepared.chunkname = chunkname;
    dry_run(source, chunkname, options.budgets, deadline, options.watchdog, prepared);
    return run_until(prepared, options, deadline);
}

ScenarioResult run_prepared(const PreparedScenario& prepared, const ScenarioOptions& options) {
    return run_until(prepared, options,
                     std::chrono::steady_clock::now() + options.budgets.wall_clock);
}

}  // namespace spindle::lua
