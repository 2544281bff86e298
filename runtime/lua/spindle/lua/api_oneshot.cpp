// oneshot channels for scripts: oneshot.channel([name]) -> tx, rx.
//
// tx:send(v) -> true | false (the receiver is gone); a sender carries one value:
// using it again, or after drop(), raises. rx:recv() waits -> value | nil, "closed";
// rx:try_recv() -> value | nil, "empty" | nil, "closed". `{ recv = rx }` works in select.
#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"
#include "spindle/sync/oneshot.h"

namespace spindle::lua {

namespace {

/// A oneshot sender as a script sees it.
struct OneshotTx {
    static constexpr const char* kName = "spindle.oneshot.Sender";
    oneshot::Sender<LuaValue> tx;
    bool sent = false;  ///< consumed by send (as opposed to dropped)
};
/// A oneshot receiver as a script sees it.
struct OneshotRx {
    static constexpr const char* kName = "spindle.oneshot.Receiver";
    oneshot::Receiver<LuaValue> rx;
};

OneshotTx& live_tx(lua_State* L, int idx) {
    OneshotTx& t = check_object<OneshotTx>(L, idx);
    if (t.sent) luaL_error(L, "this oneshot sender was already used: a oneshot carries one value");
    if (!t.tx.valid()) luaL_error(L, "this oneshot sender was dropped");
    return t;
}
OneshotRx& live_rx(lua_State* L, int idx) {
    OneshotRx& r = check_object<OneshotRx>(L, idx);
    if (!r.rx.valid()) luaL_error(L, "this oneshot receiver was dropped");
    return r;
}

/// Pins the non-nil value at idx (raises on nil).
Branch recv_branch(lua_State* L, int idx) {
    OneshotRx& r = live_rx(L, idx);
    auto* op = new oneshot::RecvOp<LuaValue>(r.rx.recv());
    Branch b;
    b.op.reset(op);
    b.push = [op](lua_State* L) {
        std::optional<LuaValue> v = op->result();
        if (v) {
            (*v)->push(L);
            return 1;
        }
        lua_pushnil(L);
        lua_pushliteral(L, "closed");
        return 2;
    };
    return b;
}

int l_channel(lua_State* L) {
    const char* name = luaL_optstring(L, 1, "oneshot");
    Host::from(L).add_resource(L);
    void* tx_mem = new_object_block<OneshotTx>(L);
    void* rx_mem = new_object_block<OneshotRx>(L);
    auto [tx, rx] = oneshot::channel<LuaValue>(name);
    emplace_object<OneshotTx>(tx_mem, std::move(tx));
    emplace_object<OneshotRx>(rx_mem, std::move(rx));
    lua_pushvalue(L, -2);
    luaL_setmetatable(L, OneshotTx::kName);
    lua_pop(L, 1);
    luaL_setmetatable(L, OneshotRx::kName);
    return 2;  // tx, rx
}

int l_tx_send(lua_State* L) {
    OneshotTx& t = live_tx(L, 1);
    bool ok;
    {
        LuaValue v = value_arg(L, 2);
        t.sent = true;
        ok = t.tx.send(std::move(v));
    }
    lua_pushboolean(L, ok);
    return 1;
}

int l_tx_drop(lua_State* L) {
    check_object<OneshotTx>(L, 1).tx.drop();
    return 0;
}

int l_tx_is_closed(lua_State* L) {
    lua_pushboolean(L, check_object<OneshotTx>(L, 1).tx.is_closed());
    return 1;
}

int l_try_recv(lua_State* L) {
    return push_try_recv(L, live_rx(L, 1).rx.try_recv());
}

int l_rx_close(lua_State* L) {
    live_rx(L, 1).rx.close();
    return 0;
}
int l_rx_drop(lua_State* L) {
    check_object<OneshotRx>(L, 1).rx.drop();
    return 0;
}

}  // namespace

void open_oneshot_api(lua_State* L) {
    static const luaL_Reg tx_methods[] = {{"send", &l_tx_send},
                                          {"drop", &l_tx_drop},
                                          {"is_closed", &l_tx_is_closed},
                                          {nullptr, nullptr}};
    static const luaL_Reg rx_methods[] = {{"recv", &waiting_method<&recv_branch>},
                                          {"try_recv", &l_try_recv},
                                          {"close", &l_rx_close},
                                          {"drop", &l_rx_drop},
                                          {nullptr, nullptr}};
    define_type<OneshotTx>(L, tx_methods);
    define_type<OneshotRx>(L, rx_methods);
    Host::from(L).add_builder("recv", OneshotRx::kName, &recv_branch);

    static const luaL_Reg lib[] = {{"channel", &l_channel}, {nullptr, nullptr}};
    luaL_newlib(L, lib);
    lua_setglobal(L, "oneshot");
}

}  // namespace spindle::lua
