#pragma once
// Library functions whose cost grows with an argument, bounded or counted.
//
// Lua's hooks do not reach C loops: string.rep("", 2^52) or table.move({}, 1,
// 2^50, 1, {}) run for hours inside one call. These replacements keep the
// standard functions' results and error messages, and charge their work to the
// task's instruction budget as they go (which also looks at the wall clock and
// the cancel flag), so such a call fails at the script's line like an endless
// loop does:
//  - string.rep: an empty result is returned at once; otherwise the bytes it
//    makes are charged first (the heap budget bounds them too);
//  - table.move, table.insert, table.remove, table.concat: each element moved
//    or joined is a step (their length may come from __len, so any number);
// They raise only through Lua errors, with no C++ object alive.

#include <lua.hpp>

namespace spindle::lua {

/// Replaces string.rep and table.move/insert/remove/concat in L's globals.
/// Needs the Host of L (its budget is charged).
void open_bounded_lib(lua_State* L);

}  // namespace spindle::lua
