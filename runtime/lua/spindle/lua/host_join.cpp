// Host::perform_join: join / try_join (tokio's join! and try_join!) inside one task.
//
// Each function runs in a Lua coroutine of its own (a branch), all of them driven
// by the task's driver, in its polls: every branch runs until it waits; the task
// then waits for whichever branch's operation completes first, while the other
// branches' operations stay queued (a lock waiter keeps its place in the line),
// resumes the branches that can go on, and so on until each has returned. No task
// is spawned: the branches' waits are the task's waits, on the task's lane.
// As in Rust, where a join!'s futures share the task's poll, a branch's CPU work
// (work) and blocking calls (crossbeam, std) hold the whole task meanwhile.
//
// The end: every branch returned (join: each one's first result, in argument
// order; try_join: true and each one's value); or a branch raised (the others
// are dropped — their waits withdrawn, their <close> variables run — and the
// error is raised in the task, the branch's traceback above the task's); or a
// try_join branch returned false, err (the others are dropped; try_join returns
// false, err). A task aborted meanwhile drops every branch the same way.
#include <coroutine>
#include <memory>
#include <optional>
#include <vector>

#include "spindle/core/ops.h"
#include "spindle/core/sleep.h"
#include "spindle/lua/host.h"
#include "spindle/lua/host_internal.h"

namespace spindle::lua {

namespace {

/// One function of the join, as the driver sees it.
struct JoinBranchState {
    enum class State {
        run,       ///< to resume (req, if any, holds the completed request)
        waiting,   ///< its request's operations may complete
        yielding,  ///< waits for the task to yield (yield_now, or the coop budget spent)
        done,      ///< returned; its one result is on its stack's top
    };
    lua_State* co = nullptr;
    State state = State::run;
    std::unique_ptr<Request> req;
    bool armed = false;           ///< its operations are queued (start_waiting done)
    std::uint32_t select_id = 0;  ///< a select request's id, for its events
};
using State = JoinBranchState::State;

/// Emits select_start for a branch's select request as it starts to wait.
void start_select(JoinBranchState& b) {
    const Request& r = *b.req;
    if (r.kind != Request::Kind::select) return;
    b.select_id = current_executor().next_select_id();
    detail::emit(payload::SelectStart{.select = b.select_id,
                                      .branches = static_cast<std::uint32_t>(r.branches.size()),
                                      .biased = r.biased});
}

/// Completes a waiting branch if one of its operations can complete now (a select's
/// losers are withdrawn, as SelectAwaiter does); it is then ready to run.
bool try_branch(JoinBranchState& b) {
    Request& r = *b.req;
    const std::size_t n = r.branches.size();
    const bool select = r.kind == Request::Kind::select;
    const std::size_t start = select && !r.biased && n > 1 ? current_executor().rng().below(n) : 0;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (start + k) % n;
        if (!r.branches[i].op->try_complete()) continue;
        for (std::size_t j = 0; j < n; ++j)
            if (j != i) r.branches[j].op->cancel();
        r.branches[i].op->stop_waiting(WaitResult::done);
        if (select) {
            Instrument& in = current_executor().instrument();
            in.emit(payload::SelectWinner{.select = b.select_id,
                                          .branch = static_cast<std::uint32_t>(i),
                                          .name = i < r.names.size() ? in.intern(r.names[i]) : 0});
            const auto index = static_cast<lua_Integer>(i + 1);
            r.complete = [index, push = std::move(r.branches[i].push)](lua_State* L) {
                lua_pushinteger(L, index);
                const int pushed = push(L);
                return pushed < 0 ? pushed : pushed + 1;
            };
        } else {
            r.complete = std::move(r.branches[i].push);
        }
        b.state = State::run;
        b.armed = false;
        return true;
    }
    return false;
}

/// The task's wait while its branches wait: ready once any branch can go on (or
/// an outer timeout's deadline passed). Operations stay queued between polls.
class BranchesWait final : public Pending {
public:
    BranchesWait(std::vector<JoinBranchState>& branches, SleepOp* deadline)
        : m_branches(branches), m_deadline(deadline) {}
    BranchesWait(const BranchesWait&) = delete;
    BranchesWait& operator=(const BranchesWait&) = delete;

    bool await_ready() { return poll(); }
    void await_suspend(std::coroutine_handle<> h) {
        for (JoinBranchState& b : m_branches) {
            if (b.state != State::waiting || b.armed) continue;
            for (Branch& br : b.req->branches)
                br.op->start_waiting();
            b.armed = true;
        }
        if (m_deadline && !m_deadline->waiting()) m_deadline->start_waiting();
        current_executor().suspend_current(h, this);
    }
    void await_resume() const noexcept {}
    bool poll_ready() override { return poll(); }
    void describe_waits(std::vector<WaitInfo>& out) const override {
        for (const JoinBranchState& b : m_branches)
            if (b.state == State::waiting)
                for (const Branch& br : b.req->branches)
                    if (br.op->waiting()) out.push_back(br.op->info());
    }
    bool timed_out() const { return m_timed_out; }

private:
    bool poll() {
        bool any = false;
        for (JoinBranchState& b : m_branches)
            if (b.state == State::waiting && try_branch(b)) any = true;
        if (!any && m_deadline && m_deadline->try_complete()) {
            m_deadline->stop_waiting(WaitResult::done);
            m_timed_out = true;
        }
        return any || m_timed_out;
    }

    std::vector<JoinBranchState>& m_branches;
    SleepOp* m_deadline;
    bool m_timed_out = false;
};

/// Marks the branches as the host's threads while the join runs, and drops the
/// unfinished ones when it ends early (an abort destroys the frame): their waits
/// are withdrawn first, then their <close> variables run.
struct JoinBranchesGuard {
    Host& host;
    std::vector<JoinBranchState>& branches;
    std::unordered_set<lua_State*>& task_threads;
    std::unordered_set<lua_State*>& join_branches;

    JoinBranchesGuard(Host& h, std::vector<JoinBranchState>& b, std::unordered_set<lua_State*>& tt,
                      std::unordered_set<lua_State*>& jb)
        : host(h), branches(b), task_threads(tt), join_branches(jb) {
        for (const JoinBranchState& s : branches) {
            task_threads.insert(s.co);
            join_branches.insert(s.co);
        }
    }
    JoinBranchesGuard(const JoinBranchesGuard&) = delete;
    JoinBranchesGuard& operator=(const JoinBranchesGuard&) = delete;
    ~JoinBranchesGuard() {
        for (JoinBranchState& s : branches)
            if (s.state != State::done) s.req.reset();
        for (JoinBranchState& s : branches) {
            if (s.state == State::done) continue;
            s.state = State::done;
            ResetOnDestroy reset{host, s.co};
        }
        for (const JoinBranchState& s : branches) {
            task_threads.erase(s.co);
            join_branches.erase(s.co);
        }
    }

    /// Drops every unfinished branch now; the first error a <close> variable raised, or "".
    std::string drop_rest() {
        for (JoinBranchState& s : branches)
            if (s.state != State::done) s.req.reset();
        std::string first_error;
        for (JoinBranchState& s : branches) {
            if (s.state == State::done) continue;
            s.state = State::done;
            std::string error = host.reset_thread(s.co);
            if (first_error.empty()) first_error = std::move(error);
        }
        return first_error;
    }
};

}  // namespace

Task<bool> Host::perform_join(Request& r, std::optional<Nanos> deadline) {
    std::vector<JoinBranchState> branches(r.join_branches.size());
    for (std::size_t i = 0; i < branches.size(); ++i)
        branches[i].co = r.join_branches[i].thread;
    JoinBranchesGuard guard(*this, branches, m_task_threads, m_join_branches);
    std::optional<SleepOp> limit;
    if (deadline) limit.emplace(*deadline);

    // Ends the join with an error raised in the task (drops the other branches first).
    auto fail_with = [&](std::string message, std::string traceback, bool stopped) {
        guard.drop_rest();  // the error raised is this one, whatever a <close> raises
        r.complete = [this, msg = std::move(message), tb = std::move(traceback),
                      stopped](lua_State* L) {
            if (stopped) {  // a branch spent the task's instructions: the task ends
                m_stop = Stop::instructions;
                m_stop_message = msg;
            }
            m_branch_failure = {msg, tb};
            lua_pushlstring(L, msg.data(), msg.size());
            return -1;
        };
    };

    // An outer timeout's deadline passed: drops every branch. True when the join
    // ends anyway, with the error a <close> variable raised meanwhile.
    auto time_out = [&]() {
        std::string close_error = guard.drop_rest();
        if (close_error.empty()) return false;
        fail_with(std::move(close_error), {}, false);
        return true;
    };

    for (;;) {
        // A new poll of the task (or its first): the budgets start again.
        m_instructions = 0;
        m_coop = 0;
        for (std::size_t i = 0; i < branches.size(); ++i) {
            JoinBranchState& b = branches[i];
            while (b.state == State::run) {
                if (b.req) m_completed = {b.co, std::move(b.req)};
                Resumed res = resume(b.co, 0);
                if (res.status == LUA_OK) {
                    b.state = State::done;
                    const int base = lua_gettop(b.co) - res.nres + 1;
                    if (!r.try_join) {
                        // One result per function, so `local a, b = join(fa, fb)` lines up.
                        if (res.nres == 0) lua_pushnil(b.co);
                        lua_settop(b.co, base);
                        break;
                    }
                    if (res.nres == 0 || lua_type(b.co, base) != LUA_TBOOLEAN) {
                        const char* got = res.nres == 0 ? "nothing" : luaL_typename(b.co, base);
                        fail_with(r.join_branches[i].defined_at + ": try_join: the function " +
                                      std::to_string(i + 1) + " returned " + got +
                                      " (return true, value or false, err)",
                                  {}, false);
                        co_return true;
                    }
                    const bool ok = lua_toboolean(b.co, base);
                    if (res.nres == 1) lua_pushnil(b.co);
                    lua_settop(b.co, base + 1);  // its value (or err) on top
                    if (!ok) {
                        std::string close_error = guard.drop_rest();
                        if (!close_error.empty()) {
                            fail_with(std::move(close_error), {}, false);
                            co_return true;
                        }
                        r.complete = [co = b.co](lua_State* L) {
                            lua_pushboolean(L, 0);
                            lua_xmove(co, L, 1);
                            return 2;
                        };
                        co_return true;
                    }
                    break;
                }
                if (res.status != LUA_YIELD || m_stop != Stop::none) {
                    b.state = State::done;  // dead: nothing to drop
                    DriveResult d = failure(b.co, res.status);
                    fail_with(std::move(d.message), std::move(d.traceback), d.stopped);
                    co_return true;
                }
                if (!res.request) {
                    b.state = State::done;
                    const std::string loc = where(b.co);
                    fail_with(
                        (loc.empty() ? m_chunkname : loc) +
                            ": coroutine.yield() outside a coroutine (use yield_now() to give "
                            "way)",
                        {}, false);
                    co_return true;
                }
                lua_pop(b.co, res.nres);
                Request& q = *res.request;
                if (q.kind == Request::Kind::wait || q.kind == Request::Kind::select) {
                    if (!q.blocking && !q.steal_wait) {
                        b.req = std::move(res.request);
                        if (q.yield_first) {
                            b.state = State::yielding;
                        } else {
                            start_select(b);
                            b.state = State::waiting;
                        }
                        break;
                    }
                } else if (q.kind == Request::Kind::yield) {
                    b.req = std::move(res.request);
                    b.state = State::yielding;
                    break;
                }
                // CPU work, a blocking call (a Rayon join too): the whole task is held meanwhile.
                if (q.blocking) current_executor().set_blocking(true);
                if (q.steal_wait) current_executor().set_steal_while_waiting(true);
                const bool performed = co_await perform(q, deadline);
                if (q.blocking) current_executor().set_blocking(false);
                if (q.steal_wait) current_executor().set_steal_while_waiting(false);
                if (!performed) co_return time_out();
                b.req = std::move(res.request);
            }
        }

        bool all_done = true, any_yielding = false;
        for (const JoinBranchState& b : branches) {
            all_done = all_done && b.state == State::done;
            any_yielding = any_yielding || b.state == State::yielding;
        }
        if (all_done) {
            const bool ok_flag = r.try_join;
            r.complete = [&r, ok_flag](lua_State* L) {
                luaL_checkstack(L, static_cast<int>(r.join_branches.size()) + 1,
                                "too many results");
                if (ok_flag) lua_pushboolean(L, 1);
                for (const Request::JoinBranch& jb : r.join_branches)
                    lua_xmove(jb.thread, L, 1);
                return static_cast<int>(r.join_branches.size()) + (ok_flag ? 1 : 0);
            };
            co_return true;
        }
        if (any_yielding) {
            co_await spindle::yield_now();
            for (JoinBranchState& b : branches) {
                if (b.state != State::yielding) continue;
                if (b.req->yield_first) {  // the budget's yield is done: now the wait
                    b.req->yield_first = false;
                    start_select(b);
                    b.state = State::waiting;
                } else {
                    b.state = State::run;
                }
            }
            continue;
        }
        BranchesWait wait(branches, limit ? &*limit : nullptr);
        co_await wait;
        if (wait.timed_out()) co_return time_out();
    }
}

}  // namespace spindle::lua
