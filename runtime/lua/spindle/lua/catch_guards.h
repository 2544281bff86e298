#pragma once
// The standard library's ways to catch an error or to run another Lua thread —
// pcall, xpcall, coroutine.resume, coroutine.wrap, coroutine.close, load —
// replaced so that:
//  - a budget stop passes through them: once a budget is spent (Host::stop_pending)
//    each raises it again instead of returning it, so no script can swallow it;
//  - the watchdog knows which Lua thread runs (Host::running) while they run one;
//  - a task's own thread (coroutine.running() inside a task) cannot be resumed
//    or closed by a script: only the host drives it;
//  - load() of a text chunk reads it in pieces and charges each to the budget,
//    so compiling a huge string stops when the wall clock runs out.
// Each keeps the standard function's results and error messages otherwise.

#include <lua.hpp>

namespace spindle::lua {

/// Replaces pcall, xpcall, load and coroutine.resume/wrap/close in L's globals.
void open_catch_guards(lua_State* L);

}  // namespace spindle::lua
