// join(f, g, ...) and try_join(f, g, ...) for scripts: tokio's join! and try_join!.
// The functions run concurrently inside the calling task, each in a coroutine of its
// own (Host::perform_join, host_join.cpp); no task is spawned.
#include <string>

#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"

namespace spindle::lua {

namespace {

void submit_join(lua_State* L, bool try_join) {
    auto r = std::make_unique<Request>();
    r->kind = Request::Kind::join;
    r->try_join = try_join;
    Host::from(L).submit(L, std::move(r));
}

/// Adds the function at idx as a branch of L's pending join request.
void add_branch(lua_State* L, int idx) {
    lua_Debug ar;
    lua_pushvalue(L, idx);
    lua_getinfo(L, ">S", &ar);
    lua_State* co = lua_newthread(L);
    lua_pushvalue(L, idx);
    lua_xmove(L, co, 1);
    Host& host = Host::from(L);
    LuaValue ref = host.ref(L);  // may raise: no C++ object exists yet
    Request* r = host.pending_request(L);
    std::string at = ar.linedefined > 0
                         ? std::string(ar.short_src) + ":" + std::to_string(ar.linedefined)
                         : std::string(ar.short_src);
    r->join_branches.push_back({co, std::move(ref), std::move(at)});
}

int start_join(lua_State* L, bool try_join) {
    const char* what = try_join ? "try_join" : "join";
    Host& host = Host::from(L);
    host.check_waitable(L, what);
    if (host.is_join_branch(L))
        return luaL_error(L,
                          "%s: cannot run inside a join function (its waits would not be "
                          "multiplexed); spawn a task for it",
                          what);
    const int n = lua_gettop(L);
    for (int i = 1; i <= n; ++i)
        luaL_checktype(L, i, LUA_TFUNCTION);
    if (n == 0) {
        if (!try_join) return 0;
        lua_pushboolean(L, 1);
        return 1;
    }
    // Submitted first: if making a branch raises, nothing built so far is orphaned
    // (a request left behind by a raise is never performed).
    submit_join(L, try_join);
    for (int i = 1; i <= n; ++i)
        add_branch(L, i);
    return Host::yield(L);
}

int l_join(lua_State* L) {
    return start_join(L, false);
}
int l_try_join(lua_State* L) {
    return start_join(L, true);
}

}  // namespace

void open_join_api(lua_State* L) {
    lua_register(L, "join", &l_join);
    lua_register(L, "try_join", &l_try_join);
}

}  // namespace spindle::lua
