#pragma once
// LuaRef / LuaValue: a Lua value held from C++ (channel buffers, task results).
//
// A LuaRef pins one value in the registry of the host's Lua state and unpins
// it when destroyed — unless the state is already closing (the shared `alive`
// flag), in which case the registry is gone with it. Created and destroyed only
// on the thread that runs the scenario.

#include <cstdint>
#include <memory>
#include <vector>

#include <lua.hpp>

namespace spindle::lua {

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

private:
    static lua_State* main_thread(lua_State* L) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
        lua_State* m = lua_tothread(L, -1);
        lua_pop(L, 1);
        return m;
    }
    lua_State* m_main;
    int m_ref;
    std::shared_ptr<bool> m_alive;
};

/// A Lua value held from C++: numbers and booleans inline (no registry entry, no
/// allocation — the common payload of a channel), anything else pinned through a
/// shared LuaRef, so copies share the same table or function (like Arc).
class LuaValue {
public:
    LuaValue() = default;
    explicit LuaValue(std::shared_ptr<const LuaRef> ref)
        : m_kind(Kind::ref), m_ref(std::move(ref)) {}

    /// Pops the value on top of `L`'s stack.
    static LuaValue pop(lua_State* L, const std::shared_ptr<bool>& alive) {
        LuaValue v;
        switch (lua_type(L, -1)) {
            case LUA_TBOOLEAN:
                v.m_kind = Kind::boolean;
                v.m_int = lua_toboolean(L, -1);
                break;
            case LUA_TNUMBER:
                if (lua_isinteger(L, -1)) {
                    v.m_kind = Kind::integer;
                    v.m_int = lua_tointeger(L, -1);
                } else {
                    v.m_kind = Kind::number;
                    v.m_number = lua_tonumber(L, -1);
                }
                break;
            default:
                v.m_kind = Kind::ref;
                v.m_ref = std::make_shared<const LuaRef>(L, alive);  // pops
                return v;
        }
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
                m_ref->push(L);
                break;
        }
    }
    /// Lets `value->push(L)` read the same whether a value is held directly or by pointer.
    const LuaValue* operator->() const { return this; }
    explicit operator bool() const { return m_kind != Kind::none; }

private:
    enum class Kind : std::uint8_t { none, boolean, integer, number, ref };
    Kind m_kind = Kind::none;
    lua_Integer m_int = 0;
    lua_Number m_number = 0;
    std::shared_ptr<const LuaRef> m_ref;
};
/// The values a Lua task returned.
using LuaResults = std::vector<LuaValue>;

}  // namespace spindle::lua
