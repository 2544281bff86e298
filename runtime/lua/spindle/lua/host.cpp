#include "spindle/lua/host.h"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "spindle/core/ops.h"
#include "spindle/core/sleep.h"
#include "spindle/lua/host_internal.h"
#include "spindle/sync/select.h"

namespace spindle::lua {

namespace {

constexpr int kHookEvery = 1000;             // instructions between budget checks
constexpr std::size_t kHeapSlack = 8 << 20;  // room to unwind after the heap budget is hit
// Host memory outside the Lua heap, as charged against the heap budget (measured
// with tests/hostile: a loop making objects or buffering values reaches the budget
// with about the budget in resident memory, not several times it).
constexpr std::size_t kHeldValueBytes = 64;   // a buffered value: its slot, id and share of growth
constexpr std::size_t kResourceBytes = 1024;  // the records of a channel or lock (runtime, summary)

/// Thrown out of a task's driver so the executor records the task as failed.
struct ScriptError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Packs the values on the stack into a table and returns its registry ref.
int pack_results(lua_State* L) {
    const int n = lua_gettop(L);
    lua_createtable(L, n, 1);
    lua_insert(L, 1);
    for (int i = n; i >= 1; --i)
        lua_rawseti(L, 1, i);
    lua_pushinteger(L, n);
    lua_setfield(L, 1, "n");
    lua_pushinteger(L, luaL_ref(L, LUA_REGISTRYINDEX));
    return 1;
}

/// luaL_traceback inside a protected call: arguments (thread, message).
int traceback(lua_State* L) {
    lua_State* co = lua_tothread(L, 1);
    luaL_traceback(L, co, nullptr, 0);
    return 1;
}

}  // namespace

Nanos check_ms(lua_State* L, int idx) {
    const lua_Number ms = luaL_checknumber(L, idx);
    if (!(ms >= 0) || ms > 1e12) luaL_argerror(L, idx, "expected a duration in ms (>= 0)");
    return Nanos(static_cast<std::int64_t>(std::llround(ms * 1e6)));
}

double to_ms(Nanos t) {
    return static_cast<double>(t.count()) / 1e6;
}

void check_held_room(lua_State* L) {
    Host& h = Host::from(L);
    if (h.heap_in_use() > h.heap_limit()) h.exceed_heap(L);
}

Host::Host(const Budgets& budgets, std::string chunkname, Watchdog* watchdog)
    : m_chunkname(std::move(chunkname)),
      m_budgets(budgets),
      m_heap_limit(budgets.heap_bytes),
      m_values_base(static_cast<std::uint64_t>(LuaValue::held())),
      m_own_watchdog(watchdog ? nullptr : std::make_unique<Watchdog>(&Host::hook)),
      m_watchdog(watchdog ? *watchdog : *m_own_watchdog) {
    m_watchdog.arm(std::chrono::steady_clock::now() + budgets.wall_clock);
    m_L = lua_newstate(&Host::allocate, this);
    if (!m_L) throw std::runtime_error("cannot create a Lua state");
    *static_cast<Host**>(lua_getextraspace(m_L)) = this;  // copied into every new thread
    // The count hook makes Lua trap every instruction (about a fifth of a busy
    // script's time), so a budget of 0 — a trusted script — runs without it
    // (the watchdog still sets a hook when the wall clock runs out).
    if (budgets.instructions_per_poll > 0) lua_sethook(m_L, &Host::hook, LUA_MASKCOUNT, kHookEvery);
}

Host::~Host() {
    *m_alive = false;
    m_watchdog.disarm();
    m_pending = {};
    m_completed = {};
    m_delivering.reset();
    lua_close(m_L);
}

void* Host::allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
    auto* h = static_cast<Host*>(ud);
    const std::size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        std::free(ptr);
        h->m_heap_used -= old;
        return nullptr;
    }
    if (nsize > old && h->heap_in_use() + (nsize - old) > h->m_heap_limit) {
        h->note_memory_exceeded();
        return nullptr;
    }
    void* p = std::realloc(ptr, nsize);
    if (p) h->m_heap_used = h->m_heap_used - old + nsize;
    return p;
}

void Host::note_memory_exceeded() {
    if (m_memory_exceeded) return;
    m_memory_exceeded = true;
    m_heap_limit += kHeapSlack;  // let the failing task unwind and report
    if (stop_run) stop_run();
}

std::size_t Host::heap_in_use() const {
    const auto values = static_cast<std::uint64_t>(LuaValue::held()) - m_values_base;
    return m_heap_used + m_object_bytes + static_cast<std::size_t>(values) * kHeldValueBytes;
}

void Host::exceed_heap(lua_State* L) {
    note_memory_exceeded();
    raise_stop(L);
}

void Host::add_resource(lua_State* L) {
    check_room(L, kResourceBytes);
    m_object_bytes += kResourceBytes;
}

Host::Stop Host::charge(std::uint64_t instructions) {
    m_instructions += instructions;
    check_wall_clock();
    if (m_stop != Stop::none) return m_stop;
    if (m_memory_exceeded) return Stop::memory;
    if (m_budgets.instructions_per_poll > 0 && m_instructions > m_budgets.instructions_per_poll)
        return Stop::instructions;
    if (m_cancel && m_cancel->load(std::memory_order_relaxed)) return Stop::cancelled;
    if (m_wall_exceeded) return Stop::wall_clock;
    return Stop::none;
}

const char* Host::describe(Stop why) const {
    switch (why) {
        case Stop::none:
            break;
        case Stop::instructions:
            return "instruction budget exceeded: the task ran too long without waiting (an "
                   "endless loop?)";
        case Stop::memory:
            return "out of memory (the heap budget is spent: Lua heap and host objects)";
        case Stop::wall_clock:
            return "wall-clock budget exceeded";
        case Stop::cancelled:
            return "the run was cancelled";
    }
    return "";
}

void Host::raise_stop(lua_State* L, const char* detail) {
    if (m_stop == Stop::none) {
        Stop why = charge(0);
        if (why == Stop::none) why = m_watchdog.expired() ? Stop::wall_clock : Stop::cancelled;
        m_stop = why;
        const std::string loc = where(L);
        m_stop_message = loc.empty() ? m_chunkname : loc;
        m_stop_message += ": ";
        if (why == Stop::memory)
            m_stop_message += "out of memory (the heap budget of " +
                              std::to_string(m_budgets.heap_bytes >> 20) +
                              " MiB is spent: Lua heap and host objects)";
        else
            m_stop_message += detail ? detail : describe(why);
    }
    // From now on L traps every instruction, so a handler that catches this
    // (a <close> variable, a message handler) raises again at once.
    lua_sethook(L, &Host::hook, LUA_MASKCOUNT, 1);
    lua_pushlstring(L, m_stop_message.data(), m_stop_message.size());
    lua_error(L);
    std::abort();  // lua_error does not return
}

void Host::hook(lua_State* L, lua_Debug* ar) {
    Host& h = from(L);
    if (h.m_stop == Stop::none) {
        // The watchdog's hook also reports calls, returns and lines: only the
        // count event counts instructions.
        const std::uint64_t n = ar->event == LUA_HOOKCOUNT ? kHookEvery : 0;
        if (h.charge(n) == Stop::none && !h.m_watchdog.fired()) return;
    }
    h.raise_stop(L);
}

void Host::check_wall_clock() {
    if (m_wall_exceeded || !m_watchdog.expired()) return;
    m_wall_exceeded = true;
    if (stop_run) stop_run();
}

void Host::end_task_stop() {
    if (m_stop == Stop::instructions) {
        m_stop = Stop::none;
        m_stop_message.clear();
    }
}

void Host::refuse_wait(lua_State* L, const char* what) {
    lua_Debug ar;
    if (!what && lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar) && ar.name) what = ar.name;
    if (L == m_running)  // the task's own thread, inside a C function's callback
        luaL_error(L,
                   "%s: a waiting call cannot be made inside a callback that Lua's C code "
                   "calls (string.gsub, table.sort, a metamethod, ...); wait before or after it",
                   what ? what : "this call");
    luaL_error(L,
               "%s: a waiting call cannot be made inside the script's own coroutine "
               "(coroutine.wrap/resume); call it from the task itself or spawn a task",
               what ? what : "this call");
    std::abort();  // luaL_error does not return
}

void Host::submit(lua_State* L, std::unique_ptr<Request> request) {
    m_pending = {L, std::move(request)};
}

Request* Host::pending_request(lua_State* L) {
    return m_pending.thread == L ? m_pending.request.get() : nullptr;
}

void Host::submit_wait(lua_State* L, Branch branch) {
    auto r = std::make_unique<Request>();
    r->kind = Request::Kind::wait;
    r->branches.push_back(std::move(branch));
    submit(L, std::move(r));
}

int Host::yield(lua_State* L) {
    Host& h = from(L);
    // Only a request that reaches this yield is performed: one left behind by a
    // call that raised after submitting (and was caught by pcall) is not.
    // (A call inside a C function such as gsub's callback cannot yield: lua_yieldk raises.)
    if (h.m_pending.thread == L && lua_isyieldable(L)) h.m_pending.yielded = true;
    lua_settop(L, 0);
    return lua_yieldk(L, 0, 0, &Host::continue_k);
}

int Host::continue_k(lua_State* L, int, lua_KContext) {
    Host& h = from(L);
    lua_settop(L, 0);
    // Held by the host while its results are pushed: if pushing raises (out of
    // memory), the driver still destroys it, releasing what its operation holds.
    h.m_delivering = h.take(h.m_completed, L);
    const int n = h.m_delivering && h.m_delivering->complete ? h.m_delivering->complete(L) : 0;
    h.m_delivering.reset();
    if (n < 0) return lua_error(L);
    return n;
}

std::unique_ptr<Request> Host::take(Slot& slot, lua_State* co) {
    Slot taken = std::exchange(slot, Slot{});
    return taken.thread == co ? std::move(taken.request) : nullptr;
}

std::unique_ptr<Request> Host::take_yielded(lua_State* co) {
    const bool yielded = m_pending.yielded;
    std::unique_ptr<Request> r = take(m_pending, co);
    return yielded ? std::move(r) : nullptr;
}

void Host::add_builder(const std::string& op, const std::string& type_name, BranchBuilder b) {
    m_builders[op + "@" + type_name] = b;
}

BranchBuilder Host::builder(const std::string& op, const std::string& type_name) const {
    auto it = m_builders.find(op + "@" + type_name);
    return it == m_builders.end() ? nullptr : it->second;
}

void Host::note_failure(std::string message, std::string traceback) {
    m_errors.push_back(std::move(message));
    m_tracebacks.push_back(std::move(traceback));
}

lua_Integer Host::object_id(lua_State* L, int idx) {
    idx = lua_absindex(L, idx);
    // registry["spindle.ids"] is a weak-keyed table object -> id, plus a counter at [0].
    if (lua_getfield(L, LUA_REGISTRYINDEX, "spindle.ids") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "spindle.ids");
    }
    lua_pushvalue(L, idx);
    if (lua_rawget(L, -2) == LUA_TNUMBER) {
        const lua_Integer id = lua_tointeger(L, -1);
        lua_pop(L, 2);
        return id;
    }
    lua_pop(L, 1);
    lua_rawgeti(L, -1, 0);
    const lua_Integer id = lua_tointeger(L, -1) + 1;
    lua_pop(L, 1);
    lua_pushinteger(L, id);
    lua_rawseti(L, -2, 0);
    lua_pushvalue(L, idx);
    lua_pushinteger(L, id);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    return id;
}

std::string Host::reset_thread(lua_State* co) {
    m_instructions = 0;
    int status = LUA_OK;
    {
        auto scope = running(co);
        status = lua_resetthread(co);
    }
    // An error, or the task's own instruction stop, is reported; a stop of the
    // whole run is reported once, by the run.
    std::string error;
    if (status != LUA_OK && m_stop == Stop::instructions) {
        error = m_stop_message;
    } else if (status != LUA_OK && m_stop == Stop::none) {
        error = lua_type(co, -1) == LUA_TSTRING
                    ? std::string(lua_tostring(co, -1))
                    : m_chunkname + ": error object is a " + luaL_typename(co, -1) + " value";
    }
    lua_settop(co, 0);
    end_task_stop();
    return error;
}

Host::DriveResult Host::failure(lua_State* co, int status) {
    DriveResult r;
    r.kind = Drive::failed;
    const std::string loc = where(co);
    if (m_stop != Stop::none) {
        r.message = m_stop_message;
        r.stopped = m_stop == Stop::instructions;
    } else if (status == LUA_ERRMEM || m_memory_exceeded) {
        r.message = (loc.empty() ? m_chunkname : loc) + ": out of memory (the heap budget of " +
                    std::to_string(m_budgets.heap_bytes >> 20) +
                    " MiB is spent: Lua heap and host objects)";
    } else if (lua_type(co, -1) == LUA_TSTRING) {
        r.message = lua_tostring(co, -1);
    } else {
        r.message = (loc.empty() ? m_chunkname : loc) + ": error object is a " +
                    luaL_typename(co, -1) + " value";
    }
    // The traceback is built in a protected call on the idle main thread.
    lua_pushcfunction(m_L, &traceback);
    lua_pushthread(co);
    lua_xmove(co, m_L, 1);
    lua_pushnil(m_L);
    if (lua_pcall(m_L, 2, 1, 0) == LUA_OK && lua_type(m_L, -1) == LUA_TSTRING)
        r.traceback = lua_tostring(m_L, -1);
    lua_pop(m_L, 1);
    // A join function's error raised again in its task: the function's frames first.
    BranchFailure branch = std::exchange(m_branch_failure, {});
    if (!branch.traceback.empty() && branch.message == r.message) {
        const std::size_t body = r.traceback.find('\n');
        r.traceback = branch.traceback + "\n\t(in join, called from:)" +
                      (body == std::string::npos ? std::string() : r.traceback.substr(body));
    }
    end_task_stop();  // the task that spent its instructions is over
    return r;
}

Host::Resumed Host::resume(lua_State* co, int narg) {
    check_wall_clock();
    // Only the thread being resumed may make waiting calls; a coroutine the
    // script creates and resumes itself is a different lua_State.
    lua_State* const outer = m_running;
    m_running = co;
    Resumed r;
    {
        auto scope = running(co);
        r.status = lua_resume(co, m_L, narg, &r.nres);
    }
    m_running = outer;
    // Taken whatever the status: a call that raised after submitting leaves nothing behind.
    r.request = take_yielded(co);
    m_delivering.reset();  // a completion whose results could not be pushed
    return r;
}

Task<Host::DriveResult> Host::drive(lua_State* co, int nargs, std::optional<Nanos> deadline) {
    const TaskThreadMark mark(m_task_threads, co);
    int narg = nargs;
    for (;;) {
        m_instructions = 0;
        m_coop = 0;
        Resumed resumed = resume(co, narg);
        narg = 0;
        const int status = resumed.status;
        const int nres = resumed.nres;
        std::unique_ptr<Request> req = std::move(resumed.request);
        if (status == LUA_OK) {
            co_return DriveResult{Drive::finished, nres, {}, {}};
        }
        if (status != LUA_YIELD || m_stop != Stop::none) {
            co_return failure(co, status);
        }
        if (!req) {
            DriveResult r;
            r.kind = Drive::failed;
            const std::string loc = where(co);
            r.message = (loc.empty() ? m_chunkname : loc) +
                        ": coroutine.yield() outside a coroutine (use yield_now() to give way)";
            co_return r;
        }
        lua_pop(co, nres);
        if (req->blocking) current_executor().set_blocking(true);
        if (req->steal_wait) current_executor().set_steal_while_waiting(true);
        if (req->kind == Request::Kind::wait && !req->yield_first && !deadline) {
            // The common case, awaited here without a perform() frame.
            Branch& b = req->branches.front();
            co_await wait_for(*b.op);
            req->complete = std::move(b.push);
        } else if (!co_await perform(*req, deadline)) {
            if (req->blocking) current_executor().set_blocking(false);
            if (req->steal_wait) current_executor().set_steal_while_waiting(false);
            co_return DriveResult{Drive::timed_out, 0, {}, {}};
        }
        if (req->blocking) current_executor().set_blocking(false);
        if (req->steal_wait) current_executor().set_steal_while_waiting(false);
        m_completed = {co, std::move(req)};  // continue_k takes it as co resumes
    }
}

Task<bool> Host::perform(Request& r, std::optional<Nanos> deadline) {
    if (r.yield_first) co_await spindle::yield_now();
    switch (r.kind) {
        case Request::Kind::work:
            co_await spindle::work(r.duration);
            co_return true;
        case Request::Kind::yield:
            co_await spindle::yield_now();
            co_return true;
        case Request::Kind::wait:
        case Request::Kind::select: {
            std::vector<Operation*> ops;
            for (Branch& b : r.branches)
                ops.push_back(b.op.get());
            std::optional<SleepOp> limit;
            if (deadline) {
                limit.emplace(*deadline);
                ops.push_back(&*limit);
            }
            std::size_t winner = 0;
            if (r.kind == Request::Kind::wait && !deadline) {
                co_await wait_for(*ops[0]);
            } else if (r.kind == Request::Kind::wait) {
                winner =
                    co_await SelectAwaiter(ops, true);  // the operation first, like tokio's Timeout
            } else {
                std::vector<std::string> names = r.names;
                if (deadline) names.emplace_back("timeout");
                winner = co_await SelectAwaiter(ops, r.biased, std::move(names));
            }
            if (deadline && winner == r.branches.size()) co_return false;
            Branch& won = r.branches[winner];
            if (r.last_is_timeout && winner + 1 == r.branches.size()) {
                r.complete = [](lua_State* L) {
                    lua_pushnil(L);
                    lua_pushliteral(L, "timeout");
                    return 2;
                };
            } else if (r.kind == Request::Kind::wait) {
                r.complete = std::move(won.push);
            } else {
                const auto index = static_cast<lua_Integer>(winner + 1);
                r.complete = [index, push = std::move(won.push)](lua_State* L) {
                    lua_pushinteger(L, index);
                    const int n = push(L);
                    return n < 0 ? n : n + 1;
                };
            }
            co_return true;
        }
        case Request::Kind::join:
            co_return co_await perform_join(r, deadline);
        case Request::Kind::timeout: {
            const Nanos own = spindle::now() + r.duration;
            const Nanos effective = deadline ? std::min(*deadline, own) : own;
            // Aborted while the function runs: its <close> variables run now, as
            // they do on the timeout, not whenever the collector finds the thread.
            ResetOnDestroy reset_child{*this, r.child};
            DriveResult d = co_await drive(r.child, r.child_nargs, effective);
            reset_child.armed = false;
            if (d.kind == Drive::timed_out) {
                // Runs the function's pending <close> variables; one that raises makes
                // timeout() raise that error, as a <close> error does in plain Lua.
                std::string close_error = reset_thread(r.child);
                if (!close_error.empty()) {
                    r.complete = [msg = std::move(close_error)](lua_State* L) {
                        lua_pushlstring(L, msg.data(), msg.size());
                        return -1;
                    };
                    co_return true;
                }
                if (spindle::now() < own) co_return false;  // an outer deadline: pass it up
                r.complete = [](lua_State* L) {
                    lua_pushboolean(L, 0);
                    lua_pushliteral(L, "timeout");
                    return 2;
                };
                co_return true;
            }
            if (d.kind == Drive::failed) {
                r.complete = [this, msg = std::move(d.message), stopped = d.stopped](lua_State* L) {
                    if (stopped) {  // the function spent the task's instructions: the task ends
                        m_stop = Stop::instructions;
                        m_stop_message = msg;
                    }
                    lua_pushlstring(L, msg.data(), msg.size());
                    return -1;
                };
                co_return true;
            }
            r.complete = [child = r.child, n = d.nres](lua_State* L) {
                lua_pushboolean(L, 1);
                lua_xmove(child, L, n);
                return n + 1;
            };
            co_return true;
        }
    }
    co_return true;
}

Task<LuaResults> Host::drive_task(LuaValue thread, lua_State* co, int nargs, TaskCharge charge) {
    // If the task is aborted (its frame destroyed) while the thread is suspended,
    // reset the thread so its <close> variables run, like Rust's drop on abort.
    ResetOnDestroy guard{*this, co};
    DriveResult d = co_await drive(co, nargs, std::nullopt);
    guard.armed = false;
    if (d.kind == Drive::failed) {
        note_failure(d.message, d.traceback);
        throw ScriptError(d.traceback.empty() ? d.message : d.message + "\n" + d.traceback);
    }
    LuaResults results;
    // Pack the results in a protected call on the finished thread: it may allocate.
    lua_pushcfunction(co, &pack_results);
    lua_insert(co, -(d.nres + 1));
    if (lua_pcall(co, d.nres, 1, 0) == LUA_OK) {
        lua_State* main = m_L;
        const int ref = static_cast<int>(lua_tointeger(co, -1));
        lua_pop(co, 1);
        results.emplace_back(main, ref, m_alive);
    } else {
        lua_pop(co, 1);
    }
    (void)thread;  // keeps the Lua thread alive until the task ends
    (void)charge;  // counts the task against the heap budget until then
    co_return results;
}

}  // namespace spindle::lua
