#pragma once
// LuaRef / LuaValue: a Lua value held from C++ (channel buffers, task results).
//
// A LuaRef pins one value in the registry of the host's Lua state and unpins
// it when destroyed — unless the state is already closing (the shared `alive`
// flag), in which case the registry is gone with it. Created and destroyed only
// on the thread that runs the scenario.

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

/// A shared handle to a pinned Lua value; copies share the same value (like Arc).
using LuaValue = std::shared_ptr<const LuaRef>;
/// The values a Lua task returned.
using LuaResults = std::vector<LuaValue>;

}  // namespace spindle::lua
