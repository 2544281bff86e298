#pragma once
// Pieces of the host shared by its two drivers: host.cpp (a task's coroutine, a
// timeout's function) and host_join.cpp (join's functions inside one task).
// Internal to the host; scripts and bindings never see them.

#include <string>
#include <unordered_set>

#include <lua.hpp>

#include "spindle/core/executor.h"
#include "spindle/lua/host.h"

namespace spindle::lua {

/// Where the innermost Lua frame of `co` is, as "file:line" ("" if unknown).
inline std::string where(lua_State* co) {
    lua_Debug ar;
    for (int level = 0; lua_getstack(co, level, &ar); ++level) {
        if (lua_getinfo(co, "Sl", &ar) && ar.currentline > 0)
            return std::string(ar.short_src) + ":" + std::to_string(ar.currentline);
    }
    return {};
}

/// Resets a Lua thread when destroyed, unless disarmed first: a coroutine frame
/// destroyed while its thread is suspended (an abort) runs the thread's <close>
/// variables then; an error one raises is reported as a failure of the run.
/// Nothing happens once the state is closing.
struct ResetOnDestroy {
    Host& host;
    lua_State* thread;
    bool armed = true;
    ~ResetOnDestroy() {
        if (!armed || !*host.alive()) return;
        std::string error = host.reset_thread(thread);
        if (error.empty()) return;
        error += " (raised by a <close> variable as the task was aborted)";
        // The aborted task then ends as failed with this error, as tokio reports a
        // panic in a cancelled future's drop; the run fails with it.
        if (Executor* ex = current_executor_or_null()) ex->fail_abort(error);
        host.note_failure(std::move(error), {});
    }
};

/// Marks a thread as driven by the host for the lifetime of its drive() frame.
struct TaskThreadMark {
    std::unordered_set<lua_State*>& threads;
    lua_State* thread;
    TaskThreadMark(std::unordered_set<lua_State*>& set, lua_State* co) : threads(set), thread(co) {
        threads.insert(co);
    }
    ~TaskThreadMark() { threads.erase(thread); }
    TaskThreadMark(const TaskThreadMark&) = delete;
    TaskThreadMark& operator=(const TaskThreadMark&) = delete;
};

}  // namespace spindle::lua
