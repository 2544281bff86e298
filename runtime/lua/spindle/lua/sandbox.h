#pragma once
// The scenario sandbox: which standard libraries a script gets, and the
// replacements that keep runs deterministic (pairs/next order, tostring of
// objects, math.random from the run's RNG).

#include <lua.hpp>

namespace spindle::lua {

/// Opens the allowed libraries into L's globals and removes everything that
/// reaches outside the run: io, os, package, require, dofile, loadfile, debug
/// (except debug.traceback), string.dump, binary chunks, string.format's %p,
/// math.randomseed, and collectgarbage options other than "collect" and "step";
/// refuses __gc finalizers, makes string patterns and the library's other loops
/// in C count against the budget (patterns.h, bounded_lib.h), and lets no pcall,
/// xpcall or coroutine function swallow a budget stop (catch_guards.h).
void open_sandbox(lua_State* L);

/// tostring() without addresses: objects print as "table: #7" (stable ids).
/// Leaves the string on the stack and returns it.
const char* stable_tostring(lua_State* L, int idx, size_t* len = nullptr);

}  // namespace spindle::lua
