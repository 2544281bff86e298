#pragma once
// string.find, string.match, string.gmatch and string.gsub with a step budget.
//
// Lua's own pattern matcher backtracks inside C, where no hook reaches: a
// pattern such as ".-.-.-.-b" over a few thousand characters runs for hours,
// past every budget and the Cancel button. These replacements follow the Lua
// 5.4 manual's pattern semantics (and its error messages) but count their
// matching steps and charge them to the task's instruction budget, so such a
// call fails at the script's line like an endless loop does. They keep no state
// between calls except gmatch's iterator, and raise only through luaL_error
// with no C++ object alive.

#include <lua.hpp>

namespace spindle::lua {

/// Replaces find, match, gmatch and gsub in the `string` table (and so the
/// string methods). Needs the Host of L (its budget is charged).
void open_budgeted_patterns(lua_State* L);

}  // namespace spindle::lua
