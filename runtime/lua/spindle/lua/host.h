#pragma once
// Host: the Lua state of one scenario run and the bridge between Lua
// coroutines and runtime tasks.
//
// Each runtime task drives one Lua thread (drive_task). A waiting API call
// (recv, sleep, lock, ...) builds a Request, hands it to the host and yields;
// the driver performs the request as a C++ await, stores the completed request,
// and resumes the thread, whose continuation (Host::continue_k) pushes the
// results — so every Lua allocation happens inside the resumed coroutine,
// where errors are caught. Only the thread inside Runtime::block_on touches
// the host; the Lua state is closed only after the runtime is gone.
//
// Lua errors are longjmps: functions that may raise must not hold C++ objects
// with destructors across the raising call (build requests in a helper, then yield).
//
// Budget stops cannot be caught. Once a budget is spent (instructions of this
// poll, heap, wall clock, cancel), the stop is sticky: every later hook, waiting
// call and protected-call wrapper (pcall, xpcall, coroutine.resume/close/wrap,
// load) raises it again with the message of the first raise, so the task ends
// whatever the script catches. An instruction stop belongs to the task that
// spent it and is cleared when that task's resume returns; the others end the
// run. The watchdog (watchdog.h) makes the wall clock and cancel fire even when
// no Lua instruction runs.
//
// Memory outside the Lua heap is counted against the same heap budget: every
// live host object (channel handles, locks, guards, ...), every resource
// created (the runtime keeps a record of each for the run), every value held
// from C++ (buffered messages, results) — see charge_object and LuaValue.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <lua.hpp>

#include "spindle/core/operation.h"
#include "spindle/core/task.h"
#include "spindle/lua/lua_ref.h"
#include "spindle/lua/scenario.h"
#include "spindle/lua/watchdog.h"

namespace spindle::lua {

/// Pushes a completed operation's results onto the resumed thread; returns how
/// many, or -1 after pushing an error message to raise.
using Pusher = std::function<int(lua_State*)>;

/// One awaited operation and how to report its result to the script.
struct Branch {
    std::unique_ptr<Operation> op;
    Pusher push;
};

/// What a yielded Lua thread waits for.
struct Request {
    enum class Kind { wait, select, work, yield, timeout, join };
    Kind kind = Kind::wait;
    std::vector<Branch> branches;  ///< wait: one; select: all of them
    bool biased = false;
    bool yield_first = false;        ///< the cooperative budget is spent: yield, then wait
    bool blocking = false;           ///< a blocking call: the wait holds the thread's worker
    bool steal_wait = false;         ///< a Rayon job's join: its thread runs other jobs
    bool last_is_timeout = false;    ///< select: the last branch is a timeout (nil, "timeout")
    std::vector<std::string> names;  ///< select: branch names for the viewer
    Nanos duration{0};               ///< work, timeout
    lua_State* child = nullptr;      ///< timeout: the coroutine running the function
    LuaValue child_ref;
    int child_nargs = 0;
    /// join: one coroutine per function, run concurrently inside the task (host_join.cpp).
    struct JoinBranch {
        lua_State* thread = nullptr;
        LuaValue ref;            ///< keeps the thread alive
        std::string defined_at;  ///< "file:line" of the function, for try_join's errors
    };
    std::vector<JoinBranch> join_branches;
    bool try_join = false;  ///< join: stop at the first `false, err`
    Pusher complete;        ///< set once performed: delivers the results
};

/// Builds the branch for operation `op` on the object at stack index `idx`
/// (a send's value is at idx + 1). Raises a Lua error on bad arguments.
using BranchBuilder = Branch (*)(lua_State* L, int idx);

class Host {
public:
    /// `watchdog`: one to arm for this state (kept by the caller, who runs states
    /// one after another on this thread); null: the host starts its own.
    Host(const Budgets& budgets, std::string chunkname, Watchdog* watchdog = nullptr);
    ~Host();
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    static Host& from(lua_State* L) { return **static_cast<Host**>(lua_getextraspace(L)); }

    lua_State* state() const { return m_L; }
    const std::shared_ptr<bool>& alive() const { return m_alive; }
    const std::string& chunkname() const { return m_chunkname; }

    /// Holds the value at the top of L's stack (popping it): inline or pinned.
    LuaValue ref(lua_State* L) { return LuaValue::pop(L, m_alive); }

    /// Raises unless L is a thread the host drives (not the script's own coroutine)
    /// and may yield now (not inside a C function's callback such as gsub's).
    /// Raises a pending budget stop first.
    void check_waitable(lua_State* L, const char* what) {
        if (stop_pending()) raise_stop(L);
        if (L != m_running || !lua_isyieldable(L)) refuse_wait(L, what);
    }
    /// Whether co is a thread the host drives (a task's, a timeout's function):
    /// scripts may not resume or close it.
    bool is_task_thread(lua_State* co) const { return m_task_threads.count(co) > 0; }
    /// Whether co runs one function of a join / try_join (which cannot nest a
    /// timeout or another join: their waits are not multiplexed).
    bool is_join_branch(lua_State* co) const { return m_join_branches.count(co) > 0; }

    /// Stores L's pending request; the caller then returns yield(L).
    void submit(lua_State* L, std::unique_ptr<Request> request);
    void submit_wait(lua_State* L, Branch branch);
    /// Yields L to its driver; results arrive through continue_k.
    static int yield(lua_State* L);

    /// A task counted against the heap budget (kTaskBytes) for as long as this lives.
    class TaskCharge {
    public:
        explicit TaskCharge(Host& h) : m_host(&h) { h.add_object(kTaskBytes); }
        TaskCharge(TaskCharge&& o) noexcept : m_host(std::exchange(o.m_host, nullptr)) {}
        TaskCharge& operator=(TaskCharge&&) = delete;
        ~TaskCharge() {
            if (m_host) m_host->release_object(kTaskBytes);
        }

    private:
        Host* m_host;
    };
    /// The C++ task that runs Lua thread `co` (fn and nargs arguments on its stack).
    /// The charge, made when the task is created, ends with the task's frame.
    Task<LuaResults> drive_task(LuaValue thread, lua_State* co, int nargs, TaskCharge charge);

    /// select / method dispatch: the builder for `op` on objects of metatable `type_name`.
    void add_builder(const std::string& op, const std::string& type_name, BranchBuilder b);
    BranchBuilder builder(const std::string& op, const std::string& type_name) const;

    // Budgets and errors
    void note_failure(std::string message, std::string traceback);
    const std::vector<std::string>& errors() const { return m_errors; }
    const std::vector<std::string>& tracebacks() const { return m_tracebacks; }
    /// A check() that did not hold: "file:line: message".
    void note_check(std::string failure) {
        if (m_checks.size() < kMaxChecksKept) m_checks.push_back(std::move(failure));
    }
    const std::vector<std::string>& checks() const { return m_checks; }
    static constexpr std::size_t kMaxChecksKept = 1000;
    bool memory_exceeded() const { return m_memory_exceeded; }
    bool wall_clock_exceeded() const { return m_wall_exceeded; }
    /// The wall-clock budget ends at `deadline` (the dry run and the run share one).
    void set_deadline(std::chrono::steady_clock::time_point deadline) {
        m_watchdog.set_deadline(deadline);
    }
    std::chrono::steady_clock::time_point deadline() const { return m_watchdog.deadline(); }
    /// Set by the runner: how to stop the run (a budget spent outside the runtime's own).
    std::function<void()> stop_run;
    /// A cancel flag the hook and the watchdog watch (long Lua loops stop too).
    void set_cancel_flag(const std::atomic<bool>* flag) {
        m_cancel = flag;
        m_watchdog.set_cancel_flag(flag);
    }
    /// Marks L as the Lua thread running (for the watchdog) for a scope's lifetime.
    Watchdog::Running running(lua_State* L) { return Watchdog::Running(m_watchdog, L); }
    /// Whether the dry run found scenario{} before any other runtime call.
    bool scenario_settings_read = false;
    int scenario_calls = 0;

    /// Why a task's Lua code must stop now.
    enum class Stop { none, instructions, memory, wall_clock, cancelled };
    /// Charges work to the current poll, as instructions: the count hook's, and
    /// work done outside the interpreter (a string pattern's steps, a library
    /// loop). Returns the budget that is spent, if any (without raising).
    Stop charge(std::uint64_t instructions);
    /// charge(), then raises the stop if a budget is spent.
    void charge_or_raise(lua_State* L, std::uint64_t instructions) {
        if (charge(instructions) != Stop::none) raise_stop(L);
    }
    /// True when a budget is spent: the running task must end.
    bool stop_pending() const {
        return m_stop != Stop::none || m_memory_exceeded || m_watchdog.fired();
    }
    /// Raises the pending stop (the first raise fixes its reason and message, at
    /// L's innermost Lua line; `detail` replaces the reason's usual text then).
    [[noreturn]] void raise_stop(lua_State* L, const char* detail = nullptr);
    /// The error text for a stop ("" for none).
    const char* describe(Stop why) const;
    /// The hook every budgeted Lua thread runs (count; the watchdog adds every event).
    static void hook(lua_State* L, lua_Debug* ar);

    /// Host memory outside the Lua heap, counted against the heap budget.
    /// A live host object of `bytes`: check (may raise) before creating it, then
    /// add when it exists, release when it is destroyed.
    void check_room(lua_State* L, std::size_t bytes) {
        if (heap_in_use() + bytes > m_heap_limit) exceed_heap(L);
    }
    void add_object(std::size_t bytes) { m_object_bytes += bytes; }
    void release_object(std::size_t bytes) { m_object_bytes -= bytes; }
    /// What a task costs outside the Lua heap while it lives (its frames, its record).
    static constexpr std::size_t kTaskBytes = 2048;
    /// A resource created (channel, lock, ...): the runtime keeps a record of it
    /// until the run ends, so it is counted until then. May raise.
    void add_resource(lua_State* L);
    std::size_t heap_limit() const { return m_heap_limit; }
    /// Lua heap + host objects + values held from C++.
    std::size_t heap_in_use() const;
    /// Marks the heap budget spent and raises the stop.
    [[noreturn]] void exceed_heap(lua_State* L);

    /// Runs co's pending <close> variables (an aborted task, a timed-out function);
    /// returns the error one raised, or "" (pushes nothing).
    std::string reset_thread(lua_State* co);

    /// Bytes all prints of a run may add up to.
    static constexpr std::size_t kLogLimit = std::size_t{256} << 20;
    /// Counts `bytes` of printed text; false once the run's prints pass kLogLimit.
    bool charge_log(std::size_t bytes) {
        m_log_bytes += bytes;
        return m_log_bytes <= kLogLimit;
    }

    /// tokio's cooperative budget: after this many operations that completed
    /// without waiting, the next one yields first so other tasks get a turn.
    static constexpr int kCoopBudget = 128;
    /// Takes one unit of the current poll's budget; false once it is spent.
    bool coop_take() { return ++m_coop <= kCoopBudget; }
    /// The stored request of L, if any (select fills it after submitting it).
    Request* pending_request(lua_State* L);

    /// Stable, deterministic id of a collectable object (for tostring and pairs).
    lua_Integer object_id(lua_State* L, int idx);

private:
    enum class Drive { finished, failed, timed_out };
    struct DriveResult {
        Drive kind = Drive::finished;
        int nres = 0;
        std::string message;
        std::string traceback;
        bool stopped = false;  ///< failed: an instruction stop (the caller's task must end too)
    };

    [[noreturn]] void refuse_wait(lua_State* L, const char* what);
    static void* allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize);
    void note_memory_exceeded();
    static int continue_k(lua_State* L, int status, lua_KContext ctx);

    Task<DriveResult> drive(lua_State* co, int nargs, std::optional<Nanos> deadline);
    Task<bool> perform(Request& r, std::optional<Nanos> deadline);
    /// join / try_join: runs every function's coroutine inside this task (host_join.cpp).
    Task<bool> perform_join(Request& r, std::optional<Nanos> deadline);
    /// One resume of co (narg arguments): the status, its results' count and the
    /// request it yielded for, if any.
    struct Resumed {
        int status = LUA_OK;
        int nres = 0;
        std::unique_ptr<Request> request;
    };
    Resumed resume(lua_State* co, int narg);
    /// What a join function's failure becomes: its message is raised in the task;
    /// failure() then puts the function's traceback above the task's.
    struct BranchFailure {
        std::string message;
        std::string traceback;
    };
    BranchFailure m_branch_failure;
    DriveResult failure(lua_State* co, int status);
    /// A request on its way between a thread and its driver.
    struct Slot {
        lua_State* thread = nullptr;
        std::unique_ptr<Request> request;
        bool yielded = false;  ///< pending: the thread went on to yield for it
    };
    static std::unique_ptr<Request> take(Slot& slot, lua_State* co);
    /// Empties the pending slot; its request if co submitted it and then yielded.
    std::unique_ptr<Request> take_yielded(lua_State* co);
    void check_wall_clock();
    /// Clears an instruction stop once the task (or function) that spent it is gone.
    void end_task_stop();

    lua_State* m_L = nullptr;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::string m_chunkname;
    Budgets m_budgets;
    std::size_t m_heap_used = 0;
    std::size_t m_heap_limit = 0;
    std::size_t m_object_bytes = 0;   ///< host objects and resources (see add_object)
    std::uint64_t m_values_base = 0;  ///< LuaValue::held() when the host was made
    Stop m_stop = Stop::none;         ///< the stop raised, sticky (see the top of the file)
    std::string m_stop_message;       ///< its message, "file:line: reason"
    bool m_memory_exceeded = false;
    bool m_wall_exceeded = false;
    std::uint64_t m_instructions = 0;  ///< since the current resume
    std::size_t m_log_bytes = 0;       ///< printed so far
    int m_coop = 0;                    ///< operations completed at once since the current resume
    const std::atomic<bool>* m_cancel = nullptr;
    lua_State* m_running = nullptr;  ///< the thread inside lua_resume, if any
    // One slot each suffices: a request submitted by the running thread is taken
    // as soon as lua_resume returns, and a completed one is stored just before
    // its thread resumes and taken by continue_k at once.
    Slot m_pending;
    Slot m_completed;
    std::unique_ptr<Request> m_delivering;  ///< completed, its results being pushed
    std::unordered_map<std::string, BranchBuilder> m_builders;
    std::unordered_set<lua_State*> m_task_threads;   ///< threads inside drive(); see is_task_thread
    std::unordered_set<lua_State*> m_join_branches;  ///< see is_join_branch
    std::vector<std::string> m_errors;
    std::vector<std::string> m_tracebacks;
    std::vector<std::string> m_checks;         ///< failed checks, the first kMaxChecksKept
    std::unique_ptr<Watchdog> m_own_watchdog;  ///< when the caller gave none
    Watchdog& m_watchdog;                      ///< armed for this state; disarmed in ~Host
};

/// Milliseconds (Lua number) to virtual nanoseconds; raises on negative or NaN.
Nanos check_ms(lua_State* L, int idx);
double to_ms(Nanos t);

}  // namespace spindle::lua
