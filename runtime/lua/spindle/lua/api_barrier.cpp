// Barriers for scripts: barrier(n [, name]) -> b. b:wait() waits until n tasks wait, then
// returns true in the last to arrive (the leader) and false in the others; it is not a
// select branch. b:parties() -> n.
//
// Part of open_sync_api (api_registry.cpp); only the scenario thread touches these objects.
#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"
#include "spindle/sync/barrier.h"

namespace spindle::lua {

namespace {

/// A barrier as a script sees it.
struct LuaBarrier {
    static constexpr const char* kName = "spindle.sync.Barrier";
    Barrier barrier;
};

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
    Host::from(L).add_resource(L);
    push_new<LuaBarrier>(L, [=] { return Barrier(static_cast<std::uint32_t>(n), name); });
    return 1;
}
int l_barrier_parties(lua_State* L) {
    lua_pushinteger(L, check_object<LuaBarrier>(L, 1).barrier.parties());
    return 1;
}

/// The metatables of this primitive's userdata and its select builders.
void define_barrier_types(lua_State* L) {
    static const luaL_Reg barrier_methods[] = {{"wait", &waiting_method<&barrier_branch>},
                                               {"parties", &l_barrier_parties},
                                               {nullptr, nullptr}};
    define_type<LuaBarrier>(L, barrier_methods);
}

}  // namespace

SyncApiPart barrier_api() {
    return {&define_barrier_types, nullptr, {"barrier", &l_barrier}};
}

}  // namespace spindle::lua
