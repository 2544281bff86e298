// watch channels for scripts: watch.channel(initial [, name]) -> tx, rx.
//
// tx:send(v) -> true | false (no receiver: nothing stored, as tokio);
// tx:send_replace(v) -> the previous value (stores in every case); tx:borrow() and
// rx:borrow() -> the current value; rx:borrow_and_update() also marks it seen;
// rx:changed() waits -> true, or false once every sender is dropped and nothing is
// unseen; rx:has_changed() -> true | false | nil, "closed". `{ changed = rx }` works
// in select.
#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"
#include "spindle/sync/watch.h"

namespace spindle::lua {

namespace {

/// A watch sender as a script sees it.
struct WatchTx {
    static constexpr const char* kName = "spindle.watch.Sender";
    watch::Sender<LuaValue> tx;
};
/// A watch receiver as a script sees it.
struct WatchRx {
    static constexpr const char* kName = "spindle.watch.Receiver";
    watch::Receiver<LuaValue> rx;
};

WatchTx& live_tx(lua_State* L, int idx) {
    WatchTx& t = check_object<WatchTx>(L, idx);
    if (!t.tx.valid()) luaL_error(L, "this watch sender was dropped");
    return t;
}
WatchRx& live_rx(lua_State* L, int idx) {
    WatchRx& r = check_object<WatchRx>(L, idx);
    if (!r.rx.valid()) luaL_error(L, "this watch receiver was dropped");
    return r;
}

/// Pins the non-nil value at idx (raises on nil).
Branch changed_branch(lua_State* L, int idx) {
    WatchRx& r = live_rx(L, idx);
    auto* op = new watch::ChangedOp<LuaValue>(r.rx.changed());
    Branch b;
    b.op.reset(op);
    b.push = [op](lua_State* L) {
        lua_pushboolean(L, op->result());
        return 1;
    };
    return b;
}

/// Wraps a new receiver in a userdata allocated beforehand (at the top of the stack).
void adopt_rx(lua_State* L, void* mem, watch::Receiver<LuaValue> rx) {
    emplace_object<WatchRx>(mem, std::move(rx));
    luaL_setmetatable(L, WatchRx::kName);
}

int l_channel(lua_State* L) {
    if (lua_isnoneornil(L, 1)) luaL_argerror(L, 1, "the initial value cannot be nil");
    const char* name = luaL_optstring(L, 2, "watch");
    Host::from(L).add_resource(L);
    void* tx_mem = new_object_block<WatchTx>(L);
    void* rx_mem = new_object_block<WatchRx>(L);
    {
        LuaValue initial = value_arg(L, 1, "the initial value cannot be nil");
        auto [tx, rx] = watch::channel<LuaValue>(std::move(initial), name);
        emplace_object<WatchTx>(tx_mem, std::move(tx));
        lua_pushvalue(L, -2);
        luaL_setmetatable(L, WatchTx::kName);
        lua_pop(L, 1);
        adopt_rx(L, rx_mem, std::move(rx));
    }
    return 2;  // tx, rx
}

int l_tx_send(lua_State* L) {
    WatchTx& t = live_tx(L, 1);
    bool ok;
    {
        LuaValue v = value_arg(L, 2, "cannot send nil");
        ok = t.tx.send(std::move(v));
    }
    lua_pushboolean(L, ok);
    return 1;
}

int l_tx_send_replace(lua_State* L) {
    WatchTx& t = live_tx(L, 1);
    {
        LuaValue v = value_arg(L, 2, "cannot send nil");
        LuaValue old = t.tx.send_replace(std::move(v));
        old->push(L);  // pushing a registry value cannot raise
    }
    return 1;
}

int l_tx_borrow(lua_State* L) {
    live_tx(L, 1).tx.borrow()->push(L);
    return 1;
}

int l_tx_subscribe(lua_State* L) {
    WatchTx& t = live_tx(L, 1);
    void* mem = new_object_block<WatchRx>(L);
    adopt_rx(L, mem, t.tx.subscribe());
    return 1;
}

int l_tx_clone(lua_State* L) {
    WatchTx& t = live_tx(L, 1);
    void* mem = new_object_block<WatchTx>(L);
    emplace_object<WatchTx>(mem, t.tx.clone());
    luaL_setmetatable(L, WatchTx::kName);
    return 1;
}

int l_tx_drop(lua_State* L) {
    check_object<WatchTx>(L, 1).tx.drop();
    return 0;
}
int l_tx_receiver_count(lua_State* L) {
    const WatchTx& t = check_object<WatchTx>(L, 1);
    lua_pushinteger(L, static_cast<lua_Integer>(t.tx.receiver_count()));
    return 1;
}
int l_tx_is_closed(lua_State* L) {
    lua_pushboolean(L, check_object<WatchTx>(L, 1).tx.is_closed());
    return 1;
}

int l_rx_borrow(lua_State* L) {
    live_rx(L, 1).rx.borrow()->push(L);
    return 1;
}
int l_rx_borrow_and_update(lua_State* L) {
    live_rx(L, 1).rx.borrow_and_update()->push(L);
    return 1;
}

int l_rx_has_changed(lua_State* L) {
    const std::optional<bool> changed = live_rx(L, 1).rx.has_changed();
    if (changed) {
        lua_pushboolean(L, *changed);
        return 1;
    }
    lua_pushnil(L);
    lua_pushliteral(L, "closed");
    return 2;
}

int l_rx_clone(lua_State* L) {
    WatchRx& r = live_rx(L, 1);
    void* mem = new_object_block<WatchRx>(L);
    adopt_rx(L, mem, r.rx.clone());
    return 1;
}

int l_rx_drop(lua_State* L) {
    check_object<WatchRx>(L, 1).rx.drop();
    return 0;
}

}  // namespace

void open_watch_api(lua_State* L) {
    static const luaL_Reg tx_methods[] = {{"send", &l_tx_send},
                                          {"send_replace", &l_tx_send_replace},
                                          {"borrow", &l_tx_borrow},
                                          {"subscribe", &l_tx_subscribe},
                                          {"clone", &l_tx_clone},
                                          {"drop", &l_tx_drop},
                                          {"receiver_count", &l_tx_receiver_count},
                                          {"is_closed", &l_tx_is_closed},
                                          {nullptr, nullptr}};
    static const luaL_Reg rx_methods[] = {{"changed", &waiting_method<&changed_branch>},
                                          {"borrow", &l_rx_borrow},
                                          {"borrow_and_update", &l_rx_borrow_and_update},
                                          {"has_changed", &l_rx_has_changed},
                                          {"clone", &l_rx_clone},
                                          {"drop", &l_rx_drop},
                                          {nullptr, nullptr}};
    define_type<WatchTx>(L, tx_methods);
    define_type<WatchRx>(L, rx_methods);
    Host::from(L).add_builder("changed", WatchRx::kName, &changed_branch);

    static const luaL_Reg lib[] = {{"channel", &l_channel}, {nullptr, nullptr}};
    luaL_newlib(L, lib);
    lua_setglobal(L, "watch");
}

}  // namespace spindle::lua
