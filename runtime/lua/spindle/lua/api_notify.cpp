// Notify for scripts: notify([name]) -> n. n:notified() waits for a notification (also a
// select branch, `{ notified = n }`); n:notify_one() wakes the oldest waiter or stores
// one permit; n:notify_waiters() wakes every task waiting now and stores nothing.
//
// Part of open_sync_api (api_registry.cpp); only the scenario thread touches these objects.
#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"
#include "spindle/sync/notify.h"

namespace spindle::lua {

namespace {

/// A notify as a script sees it.
struct LuaNotify {
    static constexpr const char* kName = "spindle.sync.Notify";
    Notify notify;
};

Branch notified_branch(lua_State* L, int idx) {
    LuaNotify& n = check_object<LuaNotify>(L, idx);
    Branch b;
    b.op.reset(new NotifiedOp(n.notify.notified()));
    b.push = [](lua_State*) { return 0; };
    return b;
}

int l_notify(lua_State* L) {
    const char* name = opt_name(L, 1, "notify");
    Host::from(L).add_resource(L);
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

/// The metatables of this primitive's userdata and its select builders.
void define_notify_types(lua_State* L) {
    static const luaL_Reg notify_methods[] = {{"notified", &waiting_method<&notified_branch>},
                                              {"notify_one", &l_notify_one},
                                              {"notify_waiters", &l_notify_waiters},
                                              {nullptr, nullptr}};
    define_type<LuaNotify>(L, notify_methods);
    Host::from(L).add_builder("notified", LuaNotify::kName, &notified_branch);
}

}  // namespace

SyncApiPart notify_api() {
    return {&define_notify_types, nullptr, {"notify", &l_notify}};
}

}  // namespace spindle::lua
