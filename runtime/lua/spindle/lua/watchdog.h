#pragma once
// Watchdog: ends a run's Lua code once its wall-clock budget is spent (or the run
// is cancelled), even when the code never waits.
//
// A thread of its own waits for the deadline (looking at the cancel flag every
// few ms), then raises `fired()` and interrupts the thread that runs the state,
// again every few ms while Lua runs there: a signal handler on that thread sets
// a hook on every call, return, line and instruction of the running Lua thread
// (an instruction budget's count hook sees fired() too, but only when Lua
// instructions run; C functions called from C — table.sort over a table whose
// __index is a C function — reach only the call hook).
// The watchdog's own thread never calls into Lua. lua_sethook walks the running
// thread's CallInfo list, which that thread changes and the collector frees as
// it goes: called from another thread it read freed memory (the scenario fuzz
// target crashed in it, 2026-12-03). From a signal handler interrupting the
// thread that runs Lua it is what Lua allows (lua.c stops a script on Ctrl-C so).
//
// One watchdog serves one Lua state at a time, and may serve many one after
// another (an exploration's job runs thousands of scenarios on one thread, and
// starting a thread per run cost more than the run): arm() starts a state's
// watch with its own deadline, disarm() ends it.
//
// State and rules:
//  - `m_running` is the Lua thread inside the host right now (null: none). Only
//    the thread that runs the states changes it (Running scopes); it is atomic
//    so the signal handler, which interrupts that same thread, can read it.
//  - `m_target` is the thread that called arm(); signals go to it only after
//    firing, while a Lua thread runs there. A thread that blocks SIGURG gets the
//    hook when it unblocks it (and must, before the watchdog is destroyed).
//  - The deadline can be moved (set_deadline) until the watchdog fires; firing
//    is final until the next arm(), which also forgets the cancel flag.
//  - Between disarm() and arm() no Lua thread runs and the deadline is never.
//  - arm(), disarm() and the Lua side are called from one thread (the one running
//    the states); only the watchdog's own thread runs besides.
//  - The destructor stops and joins the thread; the Lua states must outlive the
//    watch (disarm before lua_close).
//  - The interrupt is SIGURG (ignored by default, as Go's runtime uses it), sent
//    with pthread_sigqueue and this watchdog's address; any other SIGURG goes to
//    the handler installed before ours.

#include <pthread.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include <lua.hpp>

namespace spindle::lua {

class Watchdog {
public:
    using Clock = std::chrono::steady_clock;

    /// `hook` is what the watchdog installs on the running Lua thread when it fires.
    explicit Watchdog(lua_Hook hook);
    ~Watchdog();
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    /// Starts watching a new Lua state run by the calling thread: not fired, no
    /// cancel flag, fires at `deadline`.
    void arm(Clock::time_point deadline);
    /// Ends the watch of the current state: it will not fire until the next arm().
    void disarm();

    /// Fires at `deadline`, or soon after `*cancel` becomes true (cancel may be null).
    void set_deadline(Clock::time_point deadline);
    void set_cancel_flag(const std::atomic<bool>* cancel);
    Clock::time_point deadline() const;

    /// True once the deadline passed or the cancel flag was seen.
    bool fired() const { return m_fired.load(std::memory_order_relaxed); }
    /// True once the deadline passed (as opposed to a cancel).
    bool expired() const { return m_expired.load(std::memory_order_relaxed); }

    /// Marks `L` as the Lua thread running for the scope's lifetime (nests).
    class Running {
    public:
        Running(Watchdog& w, lua_State* L) : m_w(w), m_outer(w.enter(L)) {}
        ~Running() { m_w.leave(m_outer); }
        Running(const Running&) = delete;
        Running& operator=(const Running&) = delete;

    private:
        Watchdog& m_w;
        lua_State* m_outer;
    };

private:
    lua_State* enter(lua_State* L);
    void leave(lua_State* outer);
    void loop();
    /// The SIGURG handler: hooks the Lua thread running on the interrupted thread.
    static void on_interrupt(int signal, siginfo_t* info, void* context);
    /// Installs on_interrupt once per process.
    static void install_handler();

    lua_Hook m_hook;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    Clock::time_point m_deadline = Clock::time_point::max();  ///< guarded by m_mutex
    const std::atomic<bool>* m_cancel = nullptr;              ///< guarded by m_mutex
    pthread_t m_target{};                                     ///< guarded by m_mutex
    bool m_quit = false;                                      ///< guarded by m_mutex
    std::atomic<lua_State*> m_running{nullptr};
    std::atomic<bool> m_fired{false};
    std::atomic<bool> m_expired{false};
    std::thread m_thread;  ///< last: starts once everything above exists
};

}  // namespace spindle::lua
