#include "spindle/lua/sandbox.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "spindle/core/executor.h"
#include "spindle/lua/bounded_lib.h"
#include "spindle/lua/catch_guards.h"
#include "spindle/lua/host.h"
#include "spindle/lua/patterns.h"

namespace spindle::lua {

namespace {

int type_rank(int t) {
    switch (t) {
        case LUA_TNUMBER:
            return 0;
        case LUA_TSTRING:
            return 1;
        case LUA_TBOOLEAN:
            return 2;
        default:
            return 3;
    }
}

/// Strict order on two keys at stack indices a, b: numbers, strings, booleans,
/// then other objects by stable id. Never raises.
bool key_less(lua_State* L, int a, int b, Host& host) {
    const int ta = lua_type(L, a), tb = lua_type(L, b);
    if (type_rank(ta) != type_rank(tb)) return type_rank(ta) < type_rank(tb);
    switch (ta) {
        case LUA_TNUMBER:
            return lua_compare(L, a, b, LUA_OPLT);
        case LUA_TSTRING: {
            size_t la, lb;
            const char* sa = lua_tolstring(L, a, &la);
            const char* sb = lua_tolstring(L, b, &lb);
            const int c = std::memcmp(sa, sb, std::min(la, lb));
            return c != 0 ? c < 0 : la < lb;
        }
        case LUA_TBOOLEAN:
            return !lua_toboolean(L, a) && lua_toboolean(L, b);
        default:
            return host.object_id(L, a) < host.object_id(L, b);
    }
}

constexpr lua_Integer kKeysPerCharge = 1024;

/// Pushes an array of t's keys (t at idx) in deterministic order. Its work (a walk
/// and a sort of every key) is charged to the budget: next() in a loop over a
/// big table must stop like an endless loop does.
void sorted_keys(lua_State* L, int idx) {
    idx = lua_absindex(L, idx);
    Host& host = Host::from(L);
    lua_newtable(L);
    const int keys = lua_gettop(L);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (type_rank(lua_type(L, -1)) == 3) host.object_id(L, -1);  // assign ids before sorting
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++n);
        if (n % kKeysPerCharge == 0) host.charge_or_raise(L, kKeysPerCharge);
    }
    lua_Integer log2n = 1;
    while ((lua_Integer{1} << log2n) < n)
        ++log2n;
    host.charge_or_raise(L, static_cast<std::uint64_t>(n * log2n));  // the sort's comparisons
    // Everything that may allocate (and so raise) happens before the C++ vector
    // exists: the output array is preallocated and object ids are assigned.
    lua_createtable(L, static_cast<int>(n), 0);
    const int sorted = lua_gettop(L);
    luaL_checkstack(L, 4, "sorting keys");
    {
        std::vector<lua_Integer> order(static_cast<std::size_t>(n));
        for (lua_Integer i = 0; i < n; ++i)
            order[static_cast<std::size_t>(i)] = i + 1;
        std::sort(order.begin(), order.end(), [&](lua_Integer a, lua_Integer b) {
            lua_rawgeti(L, keys, a);
            lua_rawgeti(L, keys, b);
            const bool less = key_less(L, -2, -1, host);
            lua_pop(L, 2);
            return less;
        });
        for (lua_Integer i = 0; i < n; ++i) {
            lua_rawgeti(L, keys, order[static_cast<std::size_t>(i)]);
            lua_rawseti(L, sorted, i + 1);
        }
    }
    lua_remove(L, keys);
}

/// Iterator of pairs: upvalues (table, sorted keys, position).
int pairs_iter(lua_State* L) {
    lua_Integer pos = lua_tointeger(L, lua_upvalueindex(3)) + 1;
    for (;; ++pos) {
        if (lua_rawgeti(L, lua_upvalueindex(2), pos) == LUA_TNIL) return 0;
        lua_pushvalue(L, -1);
        if (lua_gettable(L, lua_upvalueindex(1)) != LUA_TNIL) break;  // skip removed keys
        lua_pop(L, 2);
    }
    lua_pushinteger(L, pos);
    lua_replace(L, lua_upvalueindex(3));
    return 2;
}

int det_pairs(lua_State* L) {
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushvalue(L, 1);
    sorted_keys(L, 1);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, &pairs_iter, 3);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/// next(t, k) in the same order as pairs. O(n log n) per call: for emptiness
/// checks and short walks; loops should use pairs.
int det_next(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    sorted_keys(L, 1);
    const int keys = lua_gettop(L);
    lua_Integer pos = 1;
    if (!lua_isnil(L, 2)) {
        const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, keys));
        Host::from(L).charge_or_raise(L, static_cast<std::uint64_t>(n));
        for (pos = 1; pos <= n; ++pos) {
            lua_rawgeti(L, keys, pos);
            const bool same = lua_rawequal(L, -1, 2);
            lua_pop(L, 1);
            if (same) break;
        }
        if (pos > n) return luaL_error(L, "invalid key to 'next'");
        ++pos;
    }
    if (lua_rawgeti(L, keys, pos) == LUA_TNIL) return 1;
    lua_pushvalue(L, -1);
    lua_rawget(L, 1);
    return 2;
}

int det_tostring(lua_State* L) {
    luaL_checkany(L, 1);
    stable_tostring(L, 1);
    return 1;
}

/// Calls the standard function below nargs arguments for one result. An error it
/// raises names the script's line (called from here, Lua would name none); a
/// budget stop passes as it is.
void call_standard(lua_State* L, int nargs) {
    if (lua_pcall(L, nargs, 1, 0) == LUA_OK) return;
    Host& host = Host::from(L);
    if (host.stop_pending()) host.raise_stop(L);
    if (lua_type(L, -1) == LUA_TSTRING) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    lua_error(L);
}

int det_format(lua_State* L) {
    size_t len;
    const char* fmt = luaL_checklstring(L, 1, &len);
    // Objects without __tostring would print their address through %s.
    for (int i = 2; i <= lua_gettop(L); ++i) {
        switch (lua_type(L, i)) {
            case LUA_TTABLE:
            case LUA_TFUNCTION:
            case LUA_TTHREAD:
            case LUA_TUSERDATA:
            case LUA_TLIGHTUSERDATA:
                stable_tostring(L, i);
                lua_replace(L, i);
                break;
            default:
                break;
        }
    }
    for (size_t i = 0; i + 1 < len; ++i) {
        if (fmt[i] != '%') continue;
        size_t j = i + 1;
        if (fmt[j] == '%') {
            i = j;
            continue;
        }
        while (j < len && std::strchr("-+ #0123456789.", fmt[j]))
            ++j;
        if (j < len && fmt[j] == 'p')
            return luaL_error(L,
                              "string.format: '%%p' is not available in scenarios "
                              "(addresses differ between runs)");
        i = j;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    call_standard(L, lua_gettop(L) - 1);
    return 1;
}

int det_random(lua_State* L) {
    Rng& rng = current_executor().rng();
    const int n = lua_gettop(L);
    if (n == 0) {
        lua_pushnumber(L, rng.unit());
        return 1;
    }
    lua_Integer lo = 1, hi;
    if (n == 1 && lua_isinteger(L, 1) && lua_tointeger(L, 1) == 0) {
        lua_pushinteger(L, static_cast<lua_Integer>(rng.next()));  // math.random(0): all bits
        return 1;
    }
    if (n == 1) {
        hi = luaL_checkinteger(L, 1);
    } else {
        lo = luaL_checkinteger(L, 1);
        hi = luaL_checkinteger(L, 2);
    }
    luaL_argcheck(L, lo <= hi, n, "interval is empty");
    const auto span = static_cast<lua_Unsigned>(hi) - static_cast<lua_Unsigned>(lo);
    const lua_Unsigned r = span == ~lua_Unsigned{0} ? rng.next() : rng.below(span + 1);
    lua_pushinteger(L, static_cast<lua_Integer>(static_cast<lua_Unsigned>(lo) + r));
    return 1;
}

int no_randomseed(lua_State* L) {
    return luaL_error(L,
                      "math.randomseed is not available: the run's seed (scenario{seed=} "
                      "or --seed) drives every random choice");
}

int restricted_collectgarbage(lua_State* L) {
    const char* opt = luaL_optstring(L, 1, "collect");
    if (std::strcmp(opt, "collect") != 0 && std::strcmp(opt, "step") != 0)
        return luaL_error(L, "collectgarbage('%s') is not available in scenarios", opt);
    // A full collection walks the whole heap: charged as one step per 64 bytes.
    Host& host = Host::from(L);
    host.charge_or_raise(L, host.heap_in_use() / 64);
    lua_gc(L, LUA_GCCOLLECT);
    lua_pushinteger(L, 0);
    return 1;
}

/// getmetatable() that never hands out a host object's metatable: for a userdata
/// (only the host makes them) it returns the type's name. (Adding __metatable to
/// the host's metatables would do the same, but would change the Lua heap the
/// shipped scenarios' collector pace was recorded with.)
int guarded_getmetatable(lua_State* L) {
    luaL_checkany(L, 1);
    if (lua_type(L, 1) == LUA_TUSERDATA) {
        if (luaL_getmetafield(L, 1, "__name") != LUA_TSTRING) lua_pushnil(L);
        return 1;
    }
    if (!lua_getmetatable(L, 1)) {
        lua_pushnil(L);
        return 1;
    }
    luaL_getmetafield(L, 1, "__metatable");  // pushes nothing when absent
    return 1;
}

/// setmetatable() refusing a metatable with __gc. Lua runs finalizers with its
/// hooks switched off, so a finalizer that never returned would hang the run
/// past every budget (and when finalizers run depends on the collector).
int guarded_setmetatable(lua_State* L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        const bool has_gc = lua_rawget(L, 2) != LUA_TNIL;
        lua_pop(L, 1);
        if (has_gc)
            return luaL_error(L,
                              "setmetatable: __gc finalizers are not available in scenarios "
                              "(nothing could stop one that never returns); use a <close> "
                              "variable for cleanup");
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    call_standard(L, lua_gettop(L) - 1);
    return 1;
}

void require_lib(lua_State* L, const char* name, lua_CFunction open) {
    luaL_requiref(L, name, open, 1);
    lua_pop(L, 1);
}

}  // namespace

const char* stable_tostring(lua_State* L, int idx, size_t* len) {
    idx = lua_absindex(L, idx);
    if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
        lua_pop(L, 1);
        return luaL_tolstring(L, idx, len);
    }
    switch (lua_type(L, idx)) {
        case LUA_TTABLE:
        case LUA_TFUNCTION:
        case LUA_TTHREAD:
        case LUA_TUSERDATA:
        case LUA_TLIGHTUSERDATA: {
            const char* kind = luaL_typename(L, idx);
            if (luaL_getmetafield(L, idx, "__name") == LUA_TSTRING) {
                kind = lua_tostring(L, -1);
                lua_pop(L, 1);  // the name string stays alive in the metatable
            }
            lua_pushfstring(L, "%s: #%I", kind,
                            static_cast<LUAI_UACINT>(Host::from(L).object_id(L, idx)));
            return lua_tolstring(L, -1, len);
        }
        default:
            return luaL_tolstring(L, idx, len);
    }
}

void open_sandbox(lua_State* L) {
    require_lib(L, LUA_GNAME, luaopen_base);
    require_lib(L, LUA_COLIBNAME, luaopen_coroutine);
    require_lib(L, LUA_TABLIBNAME, luaopen_table);
    require_lib(L, LUA_STRLIBNAME, luaopen_string);
    require_lib(L, LUA_MATHLIBNAME, luaopen_math);
    require_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);

    // debug: only traceback survives.
    luaL_requiref(L, LUA_DBLIBNAME, luaopen_debug, 0);
    lua_getfield(L, -1, "traceback");
    lua_newtable(L);
    lua_insert(L, -2);
    lua_setfield(L, -2, "traceback");
    lua_setglobal(L, "debug");
    lua_pop(L, 1);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);  // no module table to reach back
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);

    for (const char* name : {"dofile", "loadfile", "require", "io", "os", "package"}) {
        lua_pushnil(L);
        lua_setglobal(L, name);
    }
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_getfield(L, -1, "format");
    lua_pushcclosure(L, &det_format, 1);
    lua_setfield(L, -2, "format");
    lua_pop(L, 1);

    open_budgeted_patterns(L);  // Lua's own matcher cannot be interrupted
    open_catch_guards(L);       // budget stops pass through pcall & co.; load in pieces
    open_bounded_lib(L);        // the library's other loops in C are counted too
    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, &guarded_setmetatable, 1);
    lua_setglobal(L, "setmetatable");

    lua_register(L, "getmetatable", &guarded_getmetatable);
    lua_register(L, "pairs", &det_pairs);
    lua_register(L, "next", &det_next);
    lua_register(L, "tostring", &det_tostring);
    lua_register(L, "collectgarbage", &restricted_collectgarbage);

    lua_getglobal(L, "math");
    lua_pushcfunction(L, &det_random);
    lua_setfield(L, -2, "random");
    lua_pushcfunction(L, &no_randomseed);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);
    lua_register(L, "rand", &det_random);
}

}  // namespace spindle::lua
