#include "spindle/lua/bounded_lib.h"

#include <algorithm>
#include <cstring>

#include "spindle/lua/host.h"

namespace spindle::lua {

namespace {

constexpr unsigned kStepsPerCharge = 1024;
constexpr std::size_t kBytesPerStep = 64;  // as string patterns count compared bytes

/// Counts one step; charges every kStepsPerCharge (raising once a budget is spent).
void step(lua_State* L, unsigned& steps) {
    if (++steps < kStepsPerCharge) return;
    steps = 0;
    Host::from(L).charge_or_raise(L, kStepsPerCharge);
}

/// string.rep as lstrlib.c (Lua 5.4) has it, but an empty result returns at
/// once and the bytes made are charged first. (A light C function: no closure
/// is allocated, so the Lua heap at the start of a run stays as it was.)
int bounded_rep(lua_State* L) {
    std::size_t l = 0, lsep = 0;
    const char* s = luaL_checklstring(L, 1, &l);
    const lua_Integer n = luaL_checkinteger(L, 2);
    const char* sep = luaL_optlstring(L, 3, "", &lsep);
    if (n <= 0 || l + lsep == 0) {
        lua_pushliteral(L, "");
        return 1;
    }
    constexpr std::size_t kMaxSize = static_cast<std::size_t>(~std::size_t{0} >> 1);
    const auto count = static_cast<std::size_t>(n);
    if (l + lsep < l || l + lsep > kMaxSize / count)
        return luaL_error(L, "resulting string too large");
    const std::size_t total = count * l + (count - 1) * lsep;
    Host& host = Host::from(L);
    if (total > host.heap_limit()) host.exceed_heap(L);  // as its allocation would fail
    host.charge_or_raise(L, total / kBytesPerStep);
    luaL_Buffer b;
    char* p = luaL_buffinitsize(L, &b, total);
    for (std::size_t i = 0; i < count; ++i) {
        std::memcpy(p, s, l);
        p += l;
        if (lsep > 0 && i + 1 < count) {
            std::memcpy(p, sep, lsep);
            p += lsep;
        }
    }
    luaL_pushresultsize(&b, total);
    return 1;
}

// table functions, as ltablib.c (Lua 5.4) has them, with steps counted.

constexpr int kTabR = 1;  // read
constexpr int kTabW = 2;  // write
constexpr int kTabL = 4;  // length

bool has_field(lua_State* L, const char* key, int n) {
    lua_pushstring(L, key);
    return lua_rawget(L, -n) != LUA_TNIL;
}

/// A table, or anything whose metatable has the metamethods `what` needs.
void check_tab(lua_State* L, int arg, int what) {
    if (lua_type(L, arg) == LUA_TTABLE) return;
    int n = 1;
    if (lua_getmetatable(L, arg) && (!(what & kTabR) || has_field(L, "__index", ++n)) &&
        (!(what & kTabW) || has_field(L, "__newindex", ++n)) &&
        (!(what & kTabL) || has_field(L, "__len", ++n))) {
        lua_pop(L, n);
    } else {
        luaL_checktype(L, arg, LUA_TTABLE);
    }
}

lua_Integer length_of(lua_State* L, int arg, int what) {
    check_tab(L, arg, what | kTabL);
    return luaL_len(L, arg);
}

int bounded_insert(lua_State* L) {
    lua_Integer pos;
    const lua_Integer e = luaL_intop(+, length_of(L, 1, kTabR | kTabW), 1);  // first empty slot
    switch (lua_gettop(L)) {
        case 2:
            pos = e;
            break;
        case 3: {
            pos = luaL_checkinteger(L, 2);
            luaL_argcheck(L, static_cast<lua_Unsigned>(pos) - 1u < static_cast<lua_Unsigned>(e), 2,
                          "position out of bounds");
            unsigned steps = 0;
            for (lua_Integer i = e; i > pos; i--) {
                step(L, steps);
                lua_geti(L, 1, i - 1);
                lua_seti(L, 1, i);
            }
            break;
        }
        default:
            return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos);
    return 0;
}

int bounded_remove(lua_State* L) {
    const lua_Integer size = length_of(L, 1, kTabR | kTabW);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size)
        luaL_argcheck(L, static_cast<lua_Unsigned>(pos) - 1u <= static_cast<lua_Unsigned>(size), 2,
                      "position out of bounds");
    lua_geti(L, 1, pos);
    unsigned steps = 0;
    for (; pos < size; pos++) {
        step(L, steps);
        lua_geti(L, 1, pos + 1);
        lua_seti(L, 1, pos);
    }
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

int bounded_move(lua_State* L) {
    const lua_Integer f = luaL_checkinteger(L, 2);
    const lua_Integer e = luaL_checkinteger(L, 3);
    const lua_Integer t = luaL_checkinteger(L, 4);
    const int tt = !lua_isnoneornil(L, 5) ? 5 : 1;  // destination table
    check_tab(L, 1, kTabR);
    check_tab(L, tt, kTabW);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        const lua_Integer n = e - f + 1;
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        unsigned steps = 0;
        if (t > e || t <= f || (tt != 1 && !lua_compare(L, 1, tt, LUA_OPEQ))) {
            for (lua_Integer i = 0; i < n; i++) {
                step(L, steps);
                lua_geti(L, 1, f + i);
                lua_seti(L, tt, t + i);
            }
        } else {
            for (lua_Integer i = n - 1; i >= 0; i--) {
                step(L, steps);
                lua_geti(L, 1, f + i);
                lua_seti(L, tt, t + i);
            }
        }
    }
    lua_pushvalue(L, tt);
    return 1;
}

void add_field(lua_State* L, luaL_Buffer* b, lua_Integer i) {
    lua_geti(L, 1, i);
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid value (at index %I) in table for 'concat'",
                   static_cast<LUAI_UACINT>(i));
    luaL_addvalue(b);
}

int bounded_concat(lua_State* L) {
    lua_Integer last = length_of(L, 1, kTabR);
    std::size_t lsep = 0;
    const char* sep = luaL_optlstring(L, 2, "", &lsep);
    lua_Integer i = luaL_optinteger(L, 3, 1);
    last = luaL_optinteger(L, 4, last);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    unsigned steps = 0;
    for (; i < last; i++) {
        step(L, steps);
        add_field(L, &b, i);
        luaL_addlstring(&b, sep, lsep);
    }
    if (i == last) add_field(L, &b, i);
    luaL_pushresult(&b);
    return 1;
}

}  // namespace

void open_bounded_lib(lua_State* L) {
    lua_getglobal(L, "string");
    lua_pushcfunction(L, &bounded_rep);
    lua_setfield(L, -2, "rep");
    lua_pop(L, 1);
    lua_getglobal(L, "table");
    static const luaL_Reg table_fns[] = {{"move", &bounded_move},
                                         {"insert", &bounded_insert},
                                         {"remove", &bounded_remove},
                                         {"concat", &bounded_concat},
                                         {nullptr, nullptr}};
    luaL_setfuncs(L, table_fns, 0);
    lua_pop(L, 1);
}

}  // namespace spindle::lua
