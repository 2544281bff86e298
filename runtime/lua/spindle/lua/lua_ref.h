#pragma once
// LuaRef / LuaValue: a Lua value held from C++ (channel buffers, task results).
//
// A LuaRef pins one value in the registry of the host's Lua state and unpins
// it when destroyed — unless the state is already closing (the shared `alive`
// flag), in which case the registry is gone with it. Created and destroyed only
// on the thread that runs the scenario.
//
// Every LuaValue that holds something counts itself in a per-thread tally
// (LuaValue::held()): the host charges held values (buffered messages, results)
// against the heap budget, and checks the budget as values are made.

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include <lua.hpp>

namespace spindle::lua {

/// Raises the heap-budget stop if the host's memory (values held included) is
/// over its budget. Defined by the host (host.cpp).
void check_held_room(lua_State* L);

class LuaRef {
public:
    /// Pops the value on top of `L`'s stack and pins it.
    /// Registering uses `L` itself, so a memory error is raised inside the running
    /// coroutine (where the host catches it), never on an unprotected thread.
    LuaRef(lua_State* L, std::shared_ptr<bool> alive) : m_alive(std::move(alive)) {
        m_main = main_thread(L);
        m_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    /// Adopts a registry reference made elsewhere (on a protected path).
    LuaRef(lua_State* main, int ref, std::shared_ptr<bool> alive)
        : m_main(main), m_ref(ref), m_alive(std::move(alive)) {}
    ~LuaRef() {
        // luaL_unref only overwrites existing registry slots: it cannot fail.
        if (*m_alive) luaL_unref(m_main, LUA_REGISTRYINDEX, m_ref);
    }
    LuaRef(const LuaRef&) = delete;
    LuaRef& operator=(const LuaRef&) = delete;

    /// Pushes the value onto `L`'s stack.
    void push(lua_State* L) const { lua_rawgeti(L, LUA_REGISTRYINDEX, m_ref); }

    /// The state's main thread (registry slots are shared by all threads).
    static lua_State* main_thread(lua_State* L) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
        lua_State* m = lua_tothread(L, -1);
        lua_pop(L, 1);
        return m;
    }

private:
    lua_State* m_main;
    int m_ref;
    std::shared_ptr<bool> m_alive;
};

/// A Lua value held from C++: numbers and booleans inline (no registry entry, no
/// allocation — the common payload of a channel), anything else pinned through a
/// counted LuaRef, so copies share the same table or function (like Arc). The
/// count is not atomic: values live on the scenario thread only. 16 bytes, and
/// a move is a copy of them, because values travel through channel buffers.
class LuaValue {
public:
    LuaValue() = default;
    /// Adopts a registry reference made elsewhere (on a protected path).
    LuaValue(lua_State* main, int ref, std::shared_ptr<bool> alive) : m_kind(Kind::ref) {
        m_pinned = new Pinned{1, LuaRef(main, ref, std::move(alive))};
        ++t_held;
    }
    LuaValue(const LuaValue& o) noexcept : m_kind(o.m_kind), m_bits(o.m_bits) {
        if (m_kind == Kind::ref) ++m_pinned->count;
        if (m_kind != Kind::none) ++t_held;
    }
    LuaValue(LuaValue&& o) noexcept : m_kind(o.m_kind), m_bits(o.m_bits) { o.m_kind = Kind::none; }
    LuaValue& operator=(LuaValue o) noexcept {
        std::swap(m_kind, o.m_kind);
        std::swap(m_bits, o.m_bits);
        return *this;
    }
    ~LuaValue() {
        if (m_kind == Kind::ref && --m_pinned->count == 0) delete m_pinned;
        if (m_kind != Kind::none) --t_held;
    }

    /// LuaValues holding something on this thread (held values cost host memory).
    static std::int64_t held() { return t_held; }

    /// Holds the value at `idx` (left on the stack). Numbers and booleans are
    /// read in place; anything else is pinned, which may raise (out of memory).
    static LuaValue at(lua_State* L, int idx, const std::shared_ptr<bool>& alive) {
        return at(L, idx, lua_type(L, idx), alive);
    }
    /// The same, when the caller already knows the value's lua_type.
    static LuaValue at(lua_State* L, int idx, int type, const std::shared_ptr<bool>& alive) {
        // Checked every 256 values, before this one exists (the check may raise).
        if (((t_held + 1) & 0xFF) == 0) check_held_room(L);
        LuaValue v;
        switch (type) {
            case LUA_TBOOLEAN:
                v.m_kind = Kind::boolean;
                v.m_int = lua_toboolean(L, idx);
                ++t_held;
                return v;
            case LUA_TNUMBER:
                if (lua_isinteger(L, idx)) {
                    v.m_kind = Kind::integer;
                    v.m_int = lua_tointeger(L, idx);
                } else {
                    v.m_kind = Kind::number;
                    v.m_number = lua_tonumber(L, idx);
                }
                ++t_held;
                return v;
            default: {
                lua_pushvalue(L, idx);
                const int ref = luaL_ref(L, LUA_REGISTRYINDEX);  // may raise: nothing held yet
                v.m_pinned = new Pinned{1, LuaRef(LuaRef::main_thread(L), ref, alive)};
                v.m_kind = Kind::ref;
                ++t_held;
                return v;
            }
        }
    }

    /// Pops the value on top of `L`'s stack.
    static LuaValue pop(lua_State* L, const std::shared_ptr<bool>& alive) {
        LuaValue v = at(L, -1, alive);
        lua_pop(L, 1);
        return v;
    }

    /// Pushes the value onto `L`'s stack (nil for an empty LuaValue). Never raises.
    void push(lua_State* L) const {
        switch (m_kind) {
            case Kind::none:
                lua_pushnil(L);
                break;
            case Kind::boolean:
                lua_pushboolean(L, static_cast<int>(m_int));
                break;
            case Kind::integer:
                lua_pushinteger(L, m_int);
                break;
            case Kind::number:
                lua_pushnumber(L, m_number);
                break;
            case Kind::ref:
                m_pinned->ref.push(L);
                break;
        }
    }
    /// Lets `value->push(L)` read the same whether a value is held directly or by pointer.
    const LuaValue* operator->() const { return this; }
    explicit operator bool() const { return m_kind != Kind::none; }

private:
    struct Pinned {
        std::uint32_t count;
        LuaRef ref;
    };
    enum class Kind : std::uint8_t { none, boolean, integer, number, ref };
    static inline thread_local std::int64_t t_held = 0;
    Kind m_kind = Kind::none;
    union {
        lua_Integer m_int = 0;
        lua_Number m_number;
        Pinned* m_pinned;
        std::uint64_t m_bits;
    };
};
/// The values a Lua task returned.
using LuaResults = std::vector<LuaValue>;

}  // namespace spindle::lua
