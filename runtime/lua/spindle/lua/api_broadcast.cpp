// broadcast channels for scripts: broadcast.channel(capacity [, name]) -> tx, rx.
//
// tx:send(v) -> number of receivers (0: nobody subscribed, nothing stored);
// tx:subscribe() / rx:resubscribe() -> a receiver that sees later messages;
// rx:recv() waits -> value | nil, "lagged", n | nil, "closed"; rx:try_recv() ->
// value | nil, "empty" | nil, "lagged", n | nil, "closed". `{ recv = rx }` works in select.
#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"
#include "spindle/sync/broadcast.h"

namespace spindle::lua {

namespace {

/// A broadcast sender as a script sees it.
struct BroadcastTx {
    static constexpr const char* kName = "spindle.broadcast.Sender";
    broadcast::Sender<LuaValue> tx;
};
/// A broadcast receiver as a script sees it.
struct BroadcastRx {
    static constexpr const char* kName = "spindle.broadcast.Receiver";
    broadcast::Receiver<LuaValue> rx;
};

BroadcastTx& live_tx(lua_State* L, int idx) {
    BroadcastTx& t = check_object<BroadcastTx>(L, idx);
    if (!t.tx.valid()) luaL_error(L, "this broadcast sender was dropped");
    return t;
}
BroadcastRx& live_rx(lua_State* L, int idx) {
    BroadcastRx& r = check_object<BroadcastRx>(L, idx);
    if (!r.rx.valid()) luaL_error(L, "this broadcast receiver was dropped");
    return r;
}

/// Pins the non-nil value at idx (raises on nil).
/// Pushes a missed-messages or closed result: nil, "lagged", n | nil, "closed".
int push_failure(lua_State* L, bool lagged, std::uint64_t n) {
    lua_pushnil(L);
    if (!lagged) {
        lua_pushliteral(L, "closed");
        return 2;
    }
    lua_pushliteral(L, "lagged");
    lua_pushinteger(L, static_cast<lua_Integer>(n));
    return 3;
}

Branch recv_branch(lua_State* L, int idx) {
    BroadcastRx& r = live_rx(L, idx);
    auto* op = new broadcast::RecvOp<LuaValue>(r.rx.recv());
    Branch b;
    b.op.reset(op);
    b.push = [op](lua_State* L) {
        broadcast::RecvResult<LuaValue> got = op->result();
        if (got.status == broadcast::RecvStatus::ok) {
            (*got.value)->push(L);
            return 1;
        }
        return push_failure(L, got.status == broadcast::RecvStatus::lagged, got.lagged);
    };
    return b;
}

/// Wraps a new receiver in a userdata allocated beforehand (at the top of the stack).
void adopt_rx(lua_State* L, void* mem, broadcast::Receiver<LuaValue> rx) {
    emplace_object<BroadcastRx>(mem, std::move(rx));
    luaL_setmetatable(L, BroadcastRx::kName);
}

int l_channel(lua_State* L) {
    const lua_Integer cap = luaL_checkinteger(L, 1);
    luaL_argcheck(L, cap >= 1 && cap < kUnbounded, 1, "capacity must be at least 1");
    const char* name = luaL_optstring(L, 2, "broadcast");
    Host::from(L).add_resource(L);
    void* tx_mem = new_object_block<BroadcastTx>(L);
    void* rx_mem = new_object_block<BroadcastRx>(L);
    auto [tx, rx] = broadcast::channel<LuaValue>(static_cast<std::uint32_t>(cap), name);
    emplace_object<BroadcastTx>(tx_mem, std::move(tx));
    lua_pushvalue(L, -2);
    luaL_setmetatable(L, BroadcastTx::kName);
    lua_pop(L, 1);
    adopt_rx(L, rx_mem, std::move(rx));
    return 2;  // tx, rx
}

int l_tx_send(lua_State* L) {
    BroadcastTx& t = live_tx(L, 1);
    std::size_t receivers;
    {
        LuaValue v = value_arg(L, 2);
        receivers = t.tx.send(std::move(v));
    }
    lua_pushinteger(L, static_cast<lua_Integer>(receivers));
    return 1;
}

int l_tx_subscribe(lua_State* L) {
    BroadcastTx& t = live_tx(L, 1);
    void* mem = new_object_block<BroadcastRx>(L);
    adopt_rx(L, mem, t.tx.subscribe());
    return 1;
}

int l_tx_clone(lua_State* L) {
    BroadcastTx& t = live_tx(L, 1);
    void* mem = new_object_block<BroadcastTx>(L);
    emplace_object<BroadcastTx>(mem, t.tx.clone());
    luaL_setmetatable(L, BroadcastTx::kName);
    return 1;
}

int l_tx_drop(lua_State* L) {
    check_object<BroadcastTx>(L, 1).tx.drop();
    return 0;
}

int l_tx_receiver_count(lua_State* L) {
    const BroadcastTx& t = check_object<BroadcastTx>(L, 1);
    lua_pushinteger(L, static_cast<lua_Integer>(t.tx.receiver_count()));
    return 1;
}

int l_try_recv(lua_State* L) {
    BroadcastRx& r = live_rx(L, 1);
    broadcast::TryRecvStatus status;
    std::uint64_t lagged;
    {
        broadcast::TryRecv<LuaValue> got = r.rx.try_recv();
        status = got.status;
        lagged = got.lagged;
        if (got.value) (*got.value)->push(L);  // pushing a registry value cannot raise
    }
    switch (status) {
        case broadcast::TryRecvStatus::ok:
            return 1;
        case broadcast::TryRecvStatus::empty:
            lua_pushnil(L);
            lua_pushliteral(L, "empty");
            return 2;
        case broadcast::TryRecvStatus::lagged:
            return push_failure(L, true, lagged);
        case broadcast::TryRecvStatus::closed:
            break;
    }
    return push_failure(L, false, 0);
}

int l_rx_resubscribe(lua_State* L) {
    BroadcastRx& r = live_rx(L, 1);
    void* mem = new_object_block<BroadcastRx>(L);
    adopt_rx(L, mem, r.rx.resubscribe());
    return 1;
}

int l_rx_drop(lua_State* L) {
    check_object<BroadcastRx>(L, 1).rx.drop();
    return 0;
}
int l_rx_len(lua_State* L) {
    lua_pushinteger(L, static_cast<lua_Integer>(check_object<BroadcastRx>(L, 1).rx.len()));
    return 1;
}
int l_rx_is_closed(lua_State* L) {
    lua_pushboolean(L, check_object<BroadcastRx>(L, 1).rx.is_closed());
    return 1;
}

}  // namespace

void open_broadcast_api(lua_State* L) {
    static const luaL_Reg tx_methods[] = {
        {"send", &l_tx_send}, {"subscribe", &l_tx_subscribe},           {"clone", &l_tx_clone},
        {"drop", &l_tx_drop}, {"receiver_count", &l_tx_receiver_count}, {nullptr, nullptr}};
    static const luaL_Reg rx_methods[] = {{"recv", &waiting_method<&recv_branch>},
                                          {"try_recv", &l_try_recv},
                                          {"resubscribe", &l_rx_resubscribe},
                                          {"drop", &l_rx_drop},
                                          {"len", &l_rx_len},
                                          {"is_closed", &l_rx_is_closed},
                                          {nullptr, nullptr}};
    define_type<BroadcastTx>(L, tx_methods);
    define_type<BroadcastRx>(L, rx_methods);
    Host::from(L).add_builder("recv", BroadcastRx::kName, &recv_branch);

    static const luaL_Reg lib[] = {{"channel", &l_channel}, {nullptr, nullptr}};
    luaL_newlib(L, lib);
    lua_setglobal(L, "broadcast");
}

}  // namespace spindle::lua
