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

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <lua.hpp>

#include "spindle/core/operation.h"
#include "spindle/core/task.h"
#include "spindle/lua/lua_ref.h"
#include "spindle/lua/scenario.h"

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
    enum class Kind { wait, select, work, yield, timeout };
    Kind kind = Kind::wait;
    std::vector<Branch> branches;  ///< wait: one; select: all of them
    bool biased = false;
    bool yield_first = false;        ///< the cooperative budget is spent: yield, then wait
    std::vector<std::string> names;  ///< select: branch names for the viewer
    Nanos duration{0};               ///< work, timeout
    lua_State* child = nullptr;      ///< timeout: the coroutine running the function
    LuaValue child_ref;
    int child_nargs = 0;
    Pusher complete;  ///< set once performed: delivers the results
};

/// Builds the branch for operation `op` on the object at stack index `idx`
/// (a send's value is at idx + 1). Raises a Lua error on bad arguments.
using BranchBuilder = Branch (*)(lua_State* L, int idx);

class Host {
public:
    Host(const Budgets& budgets, std::string chunkname);
    ~Host();
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    static Host& from(lua_State* L) { return **static_cast<Host**>(lua_getextraspace(L)); }

    lua_State* state() const { return m_L; }
    const std::shared_ptr<bool>& alive() const { return m_alive; }
    const std::string& chunkname() const { return m_chunkname; }

    /// Holds the value at the top of L's stack (popping it): inline or pinned.
    LuaValue ref(lua_State* L) { return LuaValue::pop(L, m_alive); }

    /// Raises unless L is a thread the host drives (not the script's own coroutine).
    void check_waitable(lua_State* L, const char* what) {
        if (L != m_running) refuse_wait(L, what);
    }
    /// Stores L's pending request; the caller then returns yield(L).
    void submit(lua_State* L, std::unique_ptr<Request> request);
    void submit_wait(lua_State* L, Branch branch);
    /// Yields L to its driver; results arrive through continue_k.
    static int yield(lua_State* L);

    /// The C++ task that runs Lua thread `co` (fn and nargs arguments on its stack).
    Task<LuaResults> drive_task(LuaValue thread, lua_State* co, int nargs);

    /// select / method dispatch: the builder for `op` on objects of metatable `type_name`.
    void add_builder(const std::string& op, const std::string& type_name, BranchBuilder b);
    BranchBuilder builder(const std::string& op, const std::string& type_name) const;

    // Budgets and errors
    void note_failure(std::string message, std::string traceback);
    const std::vector<std::string>& errors() const { return m_errors; }
    const std::vector<std::string>& tracebacks() const { return m_tracebacks; }
    bool memory_exceeded() const { return m_memory_exceeded; }
    bool wall_clock_exceeded() const { return m_wall_exceeded; }
    void start_clock() { m_started = std::chrono::steady_clock::now(); }
    /// Set by the runner: how to stop the run (a budget spent outside the runtime's own).
    std::function<void()> stop_run;
    /// A cancel flag the instruction hook also watches (long Lua loops stop too).
    const std::atomic<bool>* cancel = nullptr;
    /// Whether the dry run found scenario{} before any other runtime call.
    bool scenario_settings_read = false;
    int scenario_calls = 0;

    /// Why a task's Lua code must stop now.
    enum class Stop { none, instructions, wall_clock, cancelled };
    /// Charges work to the current poll, as instructions: the count hook's, and
    /// work done outside the interpreter (a string pattern's steps).
    Stop charge(std::uint64_t instructions);
    /// The error text for a stop ("" for none).
    static const char* describe(Stop why);

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
    };

    [[noreturn]] void refuse_wait(lua_State* L, const char* what);
    static void* allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize);
    static void count_hook(lua_State* L, lua_Debug* ar);
    static int continue_k(lua_State* L, int status, lua_KContext ctx);

    Task<DriveResult> drive(lua_State* co, int nargs, std::optional<Nanos> deadline);
    Task<bool> perform(Request& r, std::optional<Nanos> deadline);
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

    lua_State* m_L = nullptr;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
    std::string m_chunkname;
    Budgets m_budgets;
    std::size_t m_heap_used = 0;
    std::size_t m_heap_limit = 0;
    bool m_memory_exceeded = false;
    bool m_wall_exceeded = false;
    std::uint64_t m_instructions = 0;  ///< since the current resume
    std::size_t m_log_bytes = 0;       ///< printed so far
    int m_coop = 0;                    ///< operations completed at once since the current resume
    std::chrono::steady_clock::time_point m_started;
    lua_State* m_running = nullptr;  ///< the thread inside lua_resume, if any
    // One slot each suffices: a request submitted by the running thread is taken
    // as soon as lua_resume returns, and a completed one is stored just before
    // its thread resumes and taken by continue_k at once.
    Slot m_pending;
    Slot m_completed;
    std::unique_ptr<Request> m_delivering;  ///< completed, its results being pushed
    std::unordered_map<std::string, BranchBuilder> m_builders;
    std::vector<std::string> m_errors;
    std::vector<std::string> m_tracebacks;
};

/// Milliseconds (Lua number) to virtual nanoseconds; raises on negative or NaN.
Nanos check_ms(lua_State* L, int idx);
double to_ms(Nanos t);

}  // namespace spindle::lua
