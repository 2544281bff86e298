// Semaphores for scripts: semaphore(permits [, name]) -> s. s:acquire([n]) waits -> a
// permit, or nil, "closed" (also a select branch, `{ acquire = s [, n = k] }`);
// s:try_acquire([n]) -> a permit or nil; s:available(), s:add_permits(n), s:close(),
// s:is_closed(). A permit returns its permits on release(), on __close or when
// collected; forget() keeps them out of the semaphore.
//
// Part of open_sync_api (api_registry.cpp); only the scenario thread touches these objects.
#include <optional>

#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"
#include "spindle/sync/semaphore.h"

namespace spindle::lua {

namespace {

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

/// A permit count at idx (`fallback` when absent): an integer from 0 to the semaphore maximum.
std::uint32_t check_permits(lua_State* L, int idx, std::optional<lua_Integer> fallback) {
    const lua_Integer n = fallback ? luaL_optinteger(L, idx, *fallback) : luaL_checkinteger(L, idx);
    luaL_argcheck(L, n >= 0 && n <= static_cast<lua_Integer>(Semaphore::max_permits), idx,
                  "permits must be from 0 to 536870911");
    return static_cast<std::uint32_t>(n);
}

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
    Host::from(L).add_resource(L);
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

/// The metatables of this primitive's userdata and its select builders.
void define_semaphore_types(lua_State* L) {
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
    define_type<LuaSemaphore>(L, semaphore_methods);
    define_type<LuaPermit>(L, permit_methods);
    Host::from(L).add_builder("acquire", LuaSemaphore::kName, &acquire_branch);
}

}  // namespace

SyncApiPart semaphore_api() {
    return {&define_semaphore_types, nullptr, {"semaphore", &l_semaphore}};
}

}  // namespace spindle::lua
