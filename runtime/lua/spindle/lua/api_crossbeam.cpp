// crossbeam channels for scripts: crossbeam.bounded(cap [, name]),
// crossbeam.unbounded([name]), crossbeam.select(branches [, {timeout = ms}]).
// Both ends clone (MPMC: each message goes to one receiver) and drop. Every
// operation that waits blocks the calling *thread*: an OS thread's lane, or — the
// classic mistake — an async task's worker, with every task queued behind it.

#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"
#include "spindle/sync/crossbeam.h"

namespace spindle::lua {

namespace {

struct CbTx {
    static constexpr const char* kName = "spindle.crossbeam.Sender";
    crossbeam::Sender<LuaValue> tx;
};
struct CbRx {
    static constexpr const char* kName = "spindle.crossbeam.Receiver";
    crossbeam::Receiver<LuaValue> rx;
};

CbTx& live_tx(lua_State* L, int idx) {
    CbTx& t = check_object<CbTx>(L, idx);
    if (!t.tx.valid()) luaL_error(L, "this crossbeam sender was dropped");
    return t;
}
CbRx& live_rx(lua_State* L, int idx) {
    CbRx& r = check_object<CbRx>(L, idx);
    if (!r.rx.valid()) luaL_error(L, "this crossbeam receiver was dropped");
    return r;
}

Branch recv_branch(lua_State* L, int idx) {
    CbRx& r = live_rx(L, idx);
    auto* op = new crossbeam::RecvOp<LuaValue>(r.rx.recv());
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
    CbTx& t = live_tx(L, idx);
    auto* op = new crossbeam::SendOp<LuaValue>(t.tx.send(value_arg(L, idx + 1)));
    Branch b;
    b.op.reset(op);
    b.push = [op](lua_State* L) {
        lua_pushboolean(L, op->result() == crossbeam::SendStatus::ok);
        return 1;
    };
    return b;
}

int l_send(lua_State* L) {
    live_tx(L, 1);
    if (lua_isnoneornil(L, 2)) luaL_argerror(L, 2, "cannot send nil");
    Host::from(L).check_waitable(L, "send");
    return finish_wait(L, complete_or_block(L, &send_branch, 1));
}

int recv_at(lua_State* L, int idx) {
    live_rx(L, idx);
    Host::from(L).check_waitable(L, "recv");
    return finish_wait(L, complete_or_block(L, &recv_branch, idx));
}
int l_recv(lua_State* L) {
    return recv_at(L, 1);
}

int l_try_send(lua_State* L) {
    CbTx& t = live_tx(L, 1);
    crossbeam::TrySendStatus s;
    {
        LuaValue v = value_arg(L, 2);
        s = t.tx.try_send(std::move(v));
    }
    if (s == crossbeam::TrySendStatus::ok) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushboolean(L, 0);
    lua_pushstring(L, s == crossbeam::TrySendStatus::full ? "full" : "disconnected");
    return 2;
}

int l_try_recv(lua_State* L) {
    crossbeam::TryRecv<LuaValue> got = live_rx(L, 1).rx.try_recv();
    if (got.status == crossbeam::TryRecvStatus::ok) {
        (*got.value)->push(L);
        return 1;
    }
    lua_pushnil(L);
    lua_pushstring(L, got.status == crossbeam::TryRecvStatus::empty ? "empty" : "disconnected");
    return 2;
}

template <class T, auto Member>
int l_clone(lua_State* L) {
    T& e = check_object<T>(L, 1);
    if (!(e.*Member).valid()) luaL_error(L, "this crossbeam end was dropped");
    void* mem = new_object_block<T>(L);
    emplace_object<T>(mem, (e.*Member).clone());
    luaL_setmetatable(L, T::kName);
    return 1;
}

int l_tx_drop(lua_State* L) {
    check_object<CbTx>(L, 1).tx.drop();
    return 0;
}
int l_rx_drop(lua_State* L) {
    check_object<CbRx>(L, 1).rx.drop();
    return 0;
}
int l_tx_len(lua_State* L) {
    lua_pushinteger(L, check_object<CbTx>(L, 1).tx.len());
    return 1;
}
int l_rx_len(lua_State* L) {
    lua_pushinteger(L, check_object<CbRx>(L, 1).rx.len());
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

int make_channel(lua_State* L, std::uint32_t capacity, int name_idx) {
    const char* name = luaL_optstring(L, name_idx, "crossbeam");
    Host::from(L).add_resource(L);
    void* tx_mem = new_object_block<CbTx>(L);
    void* rx_mem = new_object_block<CbRx>(L);
    auto [tx, rx] = capacity == kUnbounded ? crossbeam::unbounded<LuaValue>(name)
                                           : crossbeam::bounded<LuaValue>(capacity, name);
    emplace_object<CbTx>(tx_mem, std::move(tx));
    emplace_object<CbRx>(rx_mem, std::move(rx));
    lua_pushvalue(L, -2);
    luaL_setmetatable(L, CbTx::kName);
    lua_pop(L, 1);
    luaL_setmetatable(L, CbRx::kName);
    return 2;  // tx, rx
}

int l_bounded(lua_State* L) {
    const lua_Integer cap = luaL_checkinteger(L, 1);
    luaL_argcheck(L, cap >= 0 && cap < kUnbounded, 1, "capacity must be 0 or more");
    return make_channel(L, static_cast<std::uint32_t>(cap), 2);
}
int l_unbounded(lua_State* L) {
    return make_channel(L, kUnbounded, 1);
}
int l_select(lua_State* L) {
    return run_select(L, true);
}

/// rx:recv_timeout(ms): the value, or nil and "timeout" / "disconnected". Written in
/// Lua over crossbeam.select so that it may block (select is an upvalue).
constexpr const char* kRecvTimeout = R"lua(
local select = ...
return function(rx, ms)
  local i, v = select({ { recv = rx, name = "recv" } }, { timeout = ms })
  if i == nil then return nil, "timeout" end
  if v == nil then return nil, "disconnected" end
  return v
end
)lua";

}  // namespace

void open_crossbeam_api(lua_State* L) {
    static const luaL_Reg tx_methods[] = {
        {"send", &l_send},    {"try_send", &l_try_send}, {"clone", &l_clone<CbTx, &CbTx::tx>},
        {"drop", &l_tx_drop}, {"len", &l_tx_len},        {nullptr, nullptr}};
    static const luaL_Reg rx_methods[] = {
        {"recv", &l_recv},    {"try_recv", &l_try_recv}, {"clone", &l_clone<CbRx, &CbRx::rx>},
        {"drop", &l_rx_drop}, {"len", &l_rx_len},        {"iter", &l_rx_iter},
        {nullptr, nullptr}};
    define_type<CbTx>(L, tx_methods);
    define_type<CbRx>(L, rx_methods);
    Host& host = Host::from(L);
    host.add_builder("send", CbTx::kName, &send_branch);
    host.add_builder("recv", CbRx::kName, &recv_branch);

    // rx:recv_timeout, over crossbeam.select.
    luaL_getmetatable(L, CbRx::kName);
    lua_getfield(L, -1, "__index");
    load_builtin(L, kRecvTimeout, "=[spindle recv_timeout]");
    lua_pushcfunction(L, &l_select);
    lua_call(L, 1, 1);
    lua_setfield(L, -2, "recv_timeout");
    lua_pop(L, 2);

    static const luaL_Reg lib[] = {{"bounded", &l_bounded},
                                   {"unbounded", &l_unbounded},
                                   {"select", &l_select},
                                   {nullptr, nullptr}};
    luaL_newlib(L, lib);
    lua_setglobal(L, "crossbeam");
}

}  // namespace spindle::lua
