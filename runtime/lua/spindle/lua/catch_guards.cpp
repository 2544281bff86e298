#include "spindle/lua/catch_guards.h"

#include <algorithm>

#include "spindle/lua/host.h"

namespace spindle::lua {

namespace {

constexpr std::size_t kLoadPiece = 64 << 10;  // bytes of a text chunk compiled between checks
constexpr std::size_t kBytesPerStep = 64;     // as string patterns count compared bytes

/// pcall/xpcall's ending (also their continuation after a yield inside them).
int finish_pcall(lua_State* L, int status, lua_KContext extra) {
    Host& host = Host::from(L);
    if (host.stop_pending()) host.raise_stop(L);
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;  // false, error object
    }
    return lua_gettop(L) - static_cast<int>(extra);
}

int guarded_pcall(lua_State* L) {
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);  // the first result when nothing fails
    lua_insert(L, 1);
    const int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, &finish_pcall);
    return finish_pcall(L, status, 0);
}

/// xpcall's message handler stands in front of the script's (upvalue 1). Lua
/// calls it where the error was raised, before unwinding — for a budget stop,
/// inside the hook, where hooks are off: the script's handler must not run then
/// (one that never returned could not be stopped), so the stop passes unhandled.
int guarded_handler(lua_State* L) {
    if (Host::from(L).stop_pending()) return 1;  // the stop's message, as it is
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

int guarded_xpcall(lua_State* L) {
    const int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, &guarded_handler, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);  // handler at 2, true at 3, function at 4, then the arguments
    const int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, &finish_pcall);
    return finish_pcall(L, status, 2);
}

/// The coroutine argument at idx, refused when it is a thread the host drives.
lua_State* script_coroutine(lua_State* L, int idx, const char* what) {
    lua_State* co = lua_tothread(L, idx);
    luaL_argexpected(L, co, idx, "coroutine");
    if (Host::from(L).is_task_thread(co))
        luaL_error(L,
                   "%s: this coroutine is a task's own thread (coroutine.running() inside a "
                   "task); only the runtime resumes or closes it",
                   what);
    return co;
}

/// lcorolib's auxresume: moves narg arguments to co and resumes it, with the
/// watchdog told; returns the number of results moved back, or -1 with the error
/// object pushed. Never raises (so the Running scope always ends).
int resume_values(lua_State* L, lua_State* co, int narg) {
    if (!lua_checkstack(co, narg)) {
        lua_pushliteral(L, "too many arguments to resume");
        return -1;
    }
    lua_xmove(L, co, narg);
    int nres = 0;
    int status = LUA_OK;
    {
        auto scope = Host::from(L).running(co);
        status = lua_resume(co, L, narg, &nres);
    }
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1)) {
            lua_pop(co, nres);
            lua_pushliteral(L, "too many results to resume");
            return -1;
        }
        lua_xmove(co, L, nres);
        return nres;
    }
    lua_xmove(co, L, 1);
    return -1;
}

int guarded_resume(lua_State* L) {
    lua_State* co = script_coroutine(L, 1, "coroutine.resume");
    const int r = resume_values(L, co, lua_gettop(L) - 1);
    Host& host = Host::from(L);
    if (host.stop_pending()) host.raise_stop(L);
    if (r < 0) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, -(r + 1));
    return r + 1;
}

/// Runs co's pending <close> variables, with the watchdog told; returns the status.
int reset_coroutine(lua_State* L, lua_State* co) {
    auto scope = Host::from(L).running(co);
    return lua_resetthread(co);
}

int wrap_call(lua_State* L) {
    lua_State* co = lua_tothread(L, lua_upvalueindex(1));
    const int r = resume_values(L, co, lua_gettop(L));
    Host& host = Host::from(L);
    if (host.stop_pending()) host.raise_stop(L);
    if (r >= 0) return r;
    int status = lua_status(co);
    if (status != LUA_OK && status != LUA_YIELD) {  // an error in the coroutine
        status = reset_coroutine(L, co);
        lua_xmove(co, L, 1);
        if (host.stop_pending()) host.raise_stop(L);
    }
    if (status != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
        luaL_where(L, 1);  // where the wrapped function was called, as Lua does
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

int guarded_wrap(lua_State* L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State* co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_pushcclosure(L, &wrap_call, 1);
    return 1;
}

int guarded_close(lua_State* L) {
    lua_State* co = script_coroutine(L, 1, "coroutine.close");
    // lcorolib's auxstatus: only a dead or suspended coroutine can be closed.
    const char* refused = nullptr;
    lua_Debug ar;
    if (co == L)
        refused = "running";
    else if (lua_status(co) == LUA_OK && lua_getstack(co, 0, &ar))
        refused = "normal";
    if (refused) return luaL_error(L, "cannot close a %s coroutine", refused);
    const int status = reset_coroutine(L, co);
    Host& host = Host::from(L);
    if (host.stop_pending()) host.raise_stop(L);
    if (status == LUA_OK) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushboolean(L, 0);
    lua_xmove(co, L, 1);
    return 2;
}

struct PieceReader {
    const char* next;
    std::size_t left;
};

/// Hands a text chunk to the compiler in pieces, charging each (which raises
/// inside lua_load's own protected call when a budget is spent).
const char* read_piece(lua_State* L, void* ud, std::size_t* size) {
    auto& r = *static_cast<PieceReader*>(ud);
    if (r.left == 0) return nullptr;
    *size = std::min(r.left, kLoadPiece);
    Host::from(L).charge_or_raise(L, *size / kBytesPerStep);
    const char* piece = r.next;
    r.next += *size;
    r.left -= *size;
    return piece;
}

/// load() restricted to text chunks: upvalue 1 is the standard load.
int guarded_load(lua_State* L) {
    Host& host = Host::from(L);
    if (lua_type(L, 1) == LUA_TSTRING) {
        std::size_t len = 0;
        const char* s = lua_tolstring(L, 1, &len);
        const char* chunkname = luaL_optstring(L, 2, s);
        const bool has_env = !lua_isnone(L, 4);
        PieceReader reader{s, len};
        const int status = lua_load(L, &read_piece, &reader, chunkname, "t");
        if (host.stop_pending()) host.raise_stop(L);
        if (status != LUA_OK) {
            luaL_pushfail(L);
            lua_insert(L, -2);
            return 2;  // fail, message
        }
        if (has_env) {
            lua_pushvalue(L, 4);
            if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
        }
        return 1;
    }
    // A reader function: the standard load, text only; the reader is Lua code the
    // hooks reach, and a stop it raised is not returned as load's message.
    const int nargs = lua_gettop(L) >= 4 ? 4 : 3;  // no env given: load's default (_G)
    lua_settop(L, nargs);
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, nargs, LUA_MULTRET);
    if (host.stop_pending()) host.raise_stop(L);
    return lua_gettop(L);
}

}  // namespace

void open_catch_guards(lua_State* L) {
    lua_pushcfunction(L, &guarded_pcall);
    lua_setglobal(L, "pcall");
    lua_pushcfunction(L, &guarded_xpcall);
    lua_setglobal(L, "xpcall");
    lua_getglobal(L, "load");
    lua_pushcclosure(L, &guarded_load, 1);
    lua_setglobal(L, "load");
    lua_getglobal(L, "coroutine");
    lua_pushcfunction(L, &guarded_resume);
    lua_setfield(L, -2, "resume");
    lua_pushcfunction(L, &guarded_wrap);
    lua_setfield(L, -2, "wrap");
    lua_pushcfunction(L, &guarded_close);
    lua_setfield(L, -2, "close");
    lua_pop(L, 1);
}

}  // namespace spindle::lua
