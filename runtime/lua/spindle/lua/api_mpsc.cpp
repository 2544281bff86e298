// mpsc channels for scripts: mpsc.channel(capacity [, name]), mpsc.unbounded([name]).
#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"
#include "spindle/sync/mpsc.h"

namespace spindle::lua {

namespace {

struct MpscTx {
    static constexpr const char* kName = "spindle.mpsc.Sender";
    mpsc::Sender<LuaValue> tx;
};
struct MpscRx {
    static constexpr const char* kName = "spindle.mpsc.Receiver";
    mpsc::Receiver<LuaValue> rx;
};

MpscTx& live_tx(lua_State* L, int idx) {
    MpscTx& t = check_object<MpscTx>(L, idx);
    if (!t.tx.valid()) luaL_error(L, "this mpsc sender was dropped");
    return t;
}
MpscRx& live_rx(lua_State* L, int idx) {
    MpscRx& r = check_object<MpscRx>(L, idx);
    if (!r.rx.valid()) luaL_error(L, "this mpsc receiver was dropped");
    return r;
}

/// Pins the non-nil value at idx (raises on nil).
Branch recv_branch(lua_State* L, int idx) {
    MpscRx& r = live_rx(L, idx);
    auto* op = new mpsc::RecvOp<LuaValue>(r.rx.recv());
    Branch b;
    b.op.reset(op);
    b.push = [op](lua_State* L) {
        std::optional<LuaValue> v = op->result();
        if (v)
            (*v)->push(L);
        else
            lua_pushnil(L);
        return 1;
    };
    return b;
}

Branch send_branch(lua_State* L, int idx) {
    MpscTx& t = live_tx(L, idx);
    auto* op = new mpsc::SendOp<LuaValue>(t.tx.send(value_arg(L, idx + 1)));
    Branch b;
    b.op.reset(op);
    b.push = [op](lua_State* L) {
        lua_pushboolean(L, op->result() == mpsc::SendStatus::ok);
        return 1;
    };
    return b;
}

/// tx:send(v): completes at once when there is room (no operation object needed).
int l_send(lua_State* L) {
    MpscTx& t = live_tx(L, 1);
    const int type = lua_type(L, 2);
    if (type <= LUA_TNIL) luaL_argerror(L, 2, "cannot send nil");
    Host& host = Host::from(L);
    host.check_waitable(L, "send");
    if (t.tx.can_send_now() && host.coop_take()) {
        t.tx.try_send(LuaValue::at(L, 2, type, host.alive()));  // a pin that raises leaves nothing
        lua_pushboolean(L, 1);
        return 1;
    }
    return finish_wait(L, complete_or_submit(L, &send_branch, 1));
}

/// Receives on the receiver at idx: at once when a message is buffered, else waits.
int recv_at(lua_State* L, int idx) {
    MpscRx& r = live_rx(L, idx);
    Host& host = Host::from(L);
    host.check_waitable(L, "recv");
    if (r.rx.len() > 0 && host.coop_take()) {
        {
            mpsc::TryRecv<LuaValue> got = r.rx.try_recv();
            (*got.value)->push(L);
        }
        return 1;
    }
    return finish_wait(L, complete_or_submit(L, &recv_branch, idx));
}

int l_recv(lua_State* L) {
    return recv_at(L, 1);
}

int make_channel(lua_State* L, std::uint32_t capacity, int name_idx) {
    const char* name = luaL_optstring(L, name_idx, "mpsc");
    Host::from(L).add_resource(L);
    void* tx_mem = new_object_block<MpscTx>(L);
    void* rx_mem = new_object_block<MpscRx>(L);
    auto [tx, rx] = capacity == kUnbounded ? mpsc::unbounded<LuaValue>(name)
                                           : mpsc::channel<LuaValue>(capacity, name);
    emplace_object<MpscTx>(tx_mem, std::move(tx));
    emplace_object<MpscRx>(rx_mem, std::move(rx));
    lua_pushvalue(L, -2);
    luaL_setmetatable(L, MpscTx::kName);
    lua_pop(L, 1);
    luaL_setmetatable(L, MpscRx::kName);
    return 2;  // tx, rx
}

int l_channel(lua_State* L) {
    const lua_Integer cap = luaL_checkinteger(L, 1);
    luaL_argcheck(L, cap >= 1 && cap < kUnbounded, 1, "capacity must be at least 1");
    return make_channel(L, static_cast<std::uint32_t>(cap), 2);
}

int l_unbounded(lua_State* L) {
    return make_channel(L, kUnbounded, 1);
}

int l_try_send(lua_State* L) {
    MpscTx& t = live_tx(L, 1);
    mpsc::TrySendStatus s;
    {
        LuaValue v = value_arg(L, 2);
        s = t.tx.try_send(std::move(v));
    }
    if (s == mpsc::TrySendStatus::ok) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushboolean(L, 0);
    lua_pushstring(L, s == mpsc::TrySendStatus::full ? "full" : "closed");
    return 2;
}

int l_clone(lua_State* L) {
    MpscTx& t = live_tx(L, 1);
    void* mem = new_object_block<MpscTx>(L);
    emplace_object<MpscTx>(mem, t.tx.clone());
    luaL_setmetatable(L, MpscTx::kName);
    return 1;
}

int l_tx_drop(lua_State* L) {
    check_object<MpscTx>(L, 1).tx.drop();
    return 0;
}

int l_tx_is_closed(lua_State* L) {
    lua_pushboolean(L, check_object<MpscTx>(L, 1).tx.is_closed());
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
    check_object<MpscRx>(L, 1).rx.drop();
    return 0;
}
int l_rx_len(lua_State* L) {
    lua_pushinteger(L, check_object<MpscRx>(L, 1).rx.len());
    return 1;
}
int l_rx_is_closed(lua_State* L) {
    lua_pushboolean(L, check_object<MpscRx>(L, 1).rx.is_closed());
    return 1;
}

int iter_next(lua_State* L) {
    return recv_at(L, lua_upvalueindex(1));
}
int l_rx_iter(lua_State* L) {
    live_rx(L, 1);
    lua_pushvalue(L, 1);
    lua_pushcclosure(L, &iter_next, 1);
    return 1;
}

}  // namespace

void open_mpsc_api(lua_State* L) {
    static const luaL_Reg tx_methods[] = {
        {"send", &l_send},    {"try_send", &l_try_send},      {"clone", &l_clone},
        {"drop", &l_tx_drop}, {"is_closed", &l_tx_is_closed}, {nullptr, nullptr}};
    static const luaL_Reg rx_methods[] = {{"recv", &l_recv},      {"try_recv", &l_try_recv},
                                          {"close", &l_rx_close}, {"drop", &l_rx_drop},
                                          {"len", &l_rx_len},     {"is_closed", &l_rx_is_closed},
                                          {"iter", &l_rx_iter},   {nullptr, nullptr}};
    define_type<MpscTx>(L, tx_methods);
    define_type<MpscRx>(L, rx_methods);
    Host& host = Host::from(L);
    host.add_builder("send", MpscTx::kName, &send_branch);
    host.add_builder("recv", MpscRx::kName, &recv_branch);

    static const luaL_Reg lib[] = {
        {"channel", &l_channel}, {"unbounded", &l_unbounded}, {nullptr, nullptr}};
    luaL_newlib(L, lib);
    lua_setglobal(L, "mpsc");
}

}  // namespace spindle::lua
