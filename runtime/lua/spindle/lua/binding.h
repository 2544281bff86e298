#pragma once
// Helpers for exposing C++ handles to Lua as full userdata.
//
// A handle type T is placed into a userdata block (placement new) whose
// metatable, named T's kName, carries its methods; __gc runs T's destructor
// and __close calls the same `drop` a script can call. Objects are created and
// used only by the scenario thread.
//
// Metatables are the host's: the sandbox's getmetatable returns a userdata's type
// name, never its metatable (scripts cannot make userdata, and debug is gone), so
// a script can neither replace __gc (a finalizer runs with hooks off, and a
// missing one would leak the C++ object) nor call it on a live object.

#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include <lua.hpp>

#include "spindle/lua/host.h"

namespace spindle::lua {

/// Every userdata the host makes starts with a tag naming the C++ type it holds
/// (null until constructed and once destroyed), so a method checks its `self`
/// with one load instead of a metatable lookup. Scripts cannot make userdata.
template <class T>
inline constexpr char kTypeTag = 0;  // its address identifies T

template <class T>
constexpr std::size_t object_offset() {
    static_assert(alignof(T) <= alignof(lua_Integer), "Lua aligns userdata to 8 bytes");
    return (sizeof(const void*) + alignof(T) - 1) / alignof(T) * alignof(T);
}

/// Pushes an untagged userdata block for a T; may raise (out of memory), so
/// call it before any C++ object exists, then emplace_object and set the metatable.
template <class T>
void* new_object_block(lua_State* L) {
    void* block = lua_newuserdatauv(L, object_offset<T>() + sizeof(T), 0);
    *static_cast<const void**>(block) = nullptr;
    return block;
}

/// Constructs the T in a block from new_object_block and tags it.
template <class T, class... Args>
T* emplace_object(void* block, Args&&... args) {
    T* obj = new (static_cast<char*>(block) + object_offset<T>()) T{std::forward<Args>(args)...};
    *static_cast<const void**>(block) = &kTypeTag<T>;
    return obj;
}

/// The live T at `idx`, or nullptr.
template <class T>
T* test_object(lua_State* L, int idx) {
    // Null for anything but userdata: no light userdata ever reaches a script,
    // so every block here is one of ours and starts with its tag.
    auto* block = static_cast<char*>(lua_touserdata(L, idx));
    if (!block || *reinterpret_cast<const void* const*>(block) != &kTypeTag<T>) return nullptr;
    return std::launder(reinterpret_cast<T*>(block + object_offset<T>()));
}

/// The metatable __name of the value at idx ("" if none). The string lives in
/// the metatable, so no C++ object is left alive if the caller then raises.
inline const char* type_name_of(lua_State* L, int idx) {
    const char* name = "";
    const int t = luaL_getmetafield(L, idx, "__name");  // pushes nothing when absent
    if (t == LUA_TSTRING) name = lua_tostring(L, -1);
    if (t != LUA_TNIL) lua_pop(L, 1);
    return name;
}

/// The T at `idx`, or a Lua error naming the expected type.
template <class T>
T& check_object(lua_State* L, int idx) {
    if (T* obj = test_object<T>(L, idx)) return *obj;
    if (lua_type(L, idx) == LUA_TUSERDATA && std::strcmp(type_name_of(L, idx), T::kName) == 0) {
        // Our type, already destroyed: only a weak table can still hand it out.
        luaL_argerror(L, idx,
                      lua_pushfstring(L,
                                      "this %s was already collected (only a weak table "
                                      "still held it); keep a strong reference while using it",
                                      T::kName));
    }
    luaL_typeerror(L, idx, T::kName);
    std::abort();  // luaL_typeerror does not return
}

/// __gc: destroys the T and clears the tag (a finalizer may still see the block).
template <class T>
int destroy_object(lua_State* L) {
    if (T* obj = test_object<T>(L, 1)) {
        obj->~T();
        *static_cast<const void**>(lua_touserdata(L, 1)) = nullptr;
    }
    return 0;
}

/// Creates T's metatable with methods (a null-terminated luaL_Reg list),
/// __index, __gc, and __close bound to the method "drop" when present.
template <class T>
void define_type(lua_State* L, const luaL_Reg* methods) {
    luaL_newmetatable(L, T::kName);
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_getfield(L, -1, "drop");
    lua_setfield(L, -3, "__close");
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, &destroy_object<T>);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
}

/// The non-nil value at idx, held for a channel (raises `what` on nil).
inline LuaValue value_arg(lua_State* L, int idx, const char* what = "cannot send nil") {
    if (lua_isnoneornil(L, idx)) luaL_argerror(L, idx, what);
    return LuaValue::at(L, idx, Host::from(L).alive());
}

/// Pushes a try_recv result the way scripts see it: the value, or nil and
/// "empty" / "closed". Works for every channel whose status has ok/empty/closed.
template <class TryRecvResult>
int push_try_recv(lua_State* L, TryRecvResult got) {
    using Status = decltype(got.status);
    if (got.status == Status::ok) {
        (*got.value)->push(L);  // pushing a held value cannot raise
        return 1;
    }
    lua_pushnil(L);
    lua_pushstring(L, got.status == Status::empty ? "empty" : "closed");
    return 2;
}

/// Builds the branch for the object at idx. When the operation can complete at
/// once (the common case: room in the channel, a message waiting, a free lock)
/// its results are pushed and their count returned, as the C++ await does
/// without suspending; -2 means an error message was pushed. Otherwise the
/// branch is submitted as the thread's request and -1 returned: yield next.
/// No C++ object outlives this call.
inline int complete_or_submit(lua_State* L, BranchBuilder b, int idx) {
    Host& host = Host::from(L);
    Branch branch = b(L, idx);
    if (!host.coop_take()) {
        // Budget spent: yield first, like tokio's coop; the wait follows.
        auto r = std::make_unique<Request>();
        r->kind = Request::Kind::wait;
        r->yield_first = true;
        r->branches.push_back(std::move(branch));
        host.submit(L, std::move(r));
        return -1;
    }
    if (branch.op->try_complete()) {
        const int n = branch.push(L);
        return n < 0 ? -2 : n;
    }
    host.submit_wait(L, std::move(branch));
    return -1;
}

/// complete_or_submit for a blocking call (crossbeam's operations, std's join and
/// sleep): no cooperative budget (that is tokio's), and a wait, if one is needed,
/// holds the calling thread's worker — an async task calling it stalls its worker.
inline int complete_or_block(lua_State* L, BranchBuilder b, int idx) {
    Host& host = Host::from(L);
    Branch branch = b(L, idx);
    if (branch.op->try_complete()) {
        const int n = branch.push(L);
        return n < 0 ? -2 : n;
    }
    host.submit_wait(L, std::move(branch));
    if (Request* r = host.pending_request(L)) r->blocking = true;
    return -1;
}

/// Finishes a waiting call after complete_or_submit.
inline int finish_wait(lua_State* L, int n) {
    if (n == -1) return Host::yield(L);
    if (n == -2) return lua_error(L);
    return n;
}

/// A method that waits: checks the thread may wait, completes or submits, yields if needed.
template <BranchBuilder B>
int waiting_method(lua_State* L) {
    Host::from(L).check_waitable(L, nullptr);
    return finish_wait(L, complete_or_submit(L, B, 1));
}

/// A method that blocks the calling thread (see complete_or_block).
template <BranchBuilder B>
int blocking_method(lua_State* L) {
    Host::from(L).check_waitable(L, nullptr);
    return finish_wait(L, complete_or_block(L, B, 1));
}

/// Pushes a new userdata of type T holding make()'s result. The block is allocated
/// (which may raise) before make() runs, so no C++ object is left behind by a raise.
template <class T, class Make>
void push_new(lua_State* L, Make make) {
    void* mem = new_object_block<T>(L);
    emplace_object<T>(mem, make());
    luaL_setmetatable(L, T::kName);
}

/// Optional name argument at idx (the default when absent).
inline const char* opt_name(lua_State* L, int idx, const char* fallback) {
    return luaL_optstring(L, idx, fallback);
}

// Shared by the lock bindings (api_mutex.cpp, api_rwlock.cpp):

/// The guard at idx, still holding its lock (raises once it was released).
template <class G>
G& held(lua_State* L, int idx, const char* what) {
    G& g = check_object<G>(L, idx);
    if (!g.guard.owns_lock()) luaL_error(L, "this %s was released", what);
    return g;
}

/// Runs `fn` under a guard held in a <close> variable: (lock_fn, object, fn, ...).
inline constexpr const char* kWithHelper =
    "return function(lock, object, fn, ...) local guard <close> = lock(object) "
    "return fn(...) end";

/// Continuation of with / with_read / with_write: what the function returned.
inline int with_k(lua_State* L, int, lua_KContext) {
    return lua_gettop(L);
}

/// obj:with(fn, ...): upvalues (helper, lock function). Checks first, then calls
/// helper(lock, obj, fn, ...) so waits inside fn may yield.
template <class T>
int with_lock(lua_State* L) {
    check_object<T>(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    Host::from(L).check_waitable(L, nullptr);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_insert(L, 2);
    lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, &with_k);
    return with_k(L, LUA_OK, 0);
}

/// Adds obj:<name>(fn, ...) to T's methods, locking with T's method `lock_method`.
template <class T>
void add_with(lua_State* L, const char* name, const char* lock_method) {
    luaL_getmetatable(L, T::kName);
    lua_getfield(L, -1, "__index");
    if (luaL_loadbufferx(L, kWithHelper, std::strlen(kWithHelper), "=[spindle with]", "t") !=
            LUA_OK ||
        lua_pcall(L, 0, 1, 0) != LUA_OK)
        lua_error(L);
    lua_getfield(L, -2, lock_method);
    lua_pushcclosure(L, &with_lock<T>, 2);
    lua_setfield(L, -2, name);
    lua_pop(L, 2);
}

}  // namespace spindle::lua
