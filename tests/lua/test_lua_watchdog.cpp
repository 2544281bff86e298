// The watchdog's own thread never calls into a Lua state: lua_sethook from another
// thread walked a CallInfo list the running thread was freeing (a crash the scenario
// fuzz target found). Once fired, it interrupts the thread that runs the state, whose
// signal handler sets the hook — so while that thread blocks the interrupt, the
// state stays untouched, and the hook arrives the moment it unblocks it.
#include <catch2/catch.hpp>

#include <pthread.h>

#include <chrono>
#include <csignal>
#include <thread>

#include <lua.hpp>

#include "spindle/lua/watchdog.h"

using namespace spindle::lua;
using namespace std::chrono_literals;

namespace {

void no_op_hook(lua_State*, lua_Debug*) {}

/// Blocks SIGURG on the calling thread for the scope's lifetime.
class BlockInterrupt {
public:
    BlockInterrupt() {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGURG);
        pthread_sigmask(SIG_BLOCK, &set, &m_old);
    }
    ~BlockInterrupt() { unblock(); }
    /// Pending interrupts run here, before it returns.
    void unblock() { pthread_sigmask(SIG_SETMASK, &m_old, nullptr); }

private:
    sigset_t m_old;
};

/// Whether a SIGURG waits for this thread to unblock it.
bool interrupt_pending() {
    sigset_t set;
    sigpending(&set);
    return sigismember(&set, SIGURG) == 1;
}

}  // namespace

TEST_CASE("watchdog: only the thread running a state sets its hook", "[lua]") {
    lua_State* L = luaL_newstate();
    REQUIRE(L);
    {
        Watchdog w(&no_op_hook);
        SECTION("the running thread is interrupted") {
            BlockInterrupt blocked;
            // Enter before the deadline comes: firing first is the other section's case
            // (entering a fired watch sets the hook at once, on this thread).
            w.arm(Watchdog::Clock::now() + 1h);
            Watchdog::Running running(w, L);
            w.set_deadline(Watchdog::Clock::now());
            // Until the watchdog has fired and sent its interrupt (which stays pending).
            for (int i = 0; i < 1000 && !interrupt_pending(); ++i)
                std::this_thread::sleep_for(5ms);
            REQUIRE(interrupt_pending());
            CHECK(w.fired());
            CHECK(w.expired());
            CHECK(lua_gethook(L) == nullptr);  // the watchdog's thread left it alone
            blocked.unblock();                 // the interrupt runs now, on this thread
            CHECK(lua_gethook(L) == &no_op_hook);
            CHECK(lua_gethookmask(L) ==
                  (LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT));
        }
        SECTION("a Lua thread entered after firing is hooked by its own thread") {
            w.arm(Watchdog::Clock::now());
            for (int i = 0; i < 1000 && !w.fired(); ++i)
                std::this_thread::sleep_for(5ms);
            REQUIRE(w.fired());
            std::this_thread::sleep_for(30ms);  // a round in which it would act
            CHECK(lua_gethook(L) == nullptr);   // nothing runs Lua: no interrupt
            Watchdog::Running running(w, L);
            CHECK(lua_gethook(L) == &no_op_hook);
        }
        w.disarm();
    }
    lua_close(L);
}

TEST_CASE("watchdog: a SIGURG that is not a watchdog's interrupt changes nothing", "[lua]") {
    // The process's own SIGURG (out-of-band socket data, a raise) is not an interrupt:
    // the handler passes it on to what was there before (by default: ignored).
    Watchdog w(&no_op_hook);  // installs the handler (once per process)
    struct sigaction now {};
    sigaction(SIGURG, nullptr, &now);
    REQUIRE((now.sa_flags & SA_SIGINFO) != 0);
    lua_State* L = luaL_newstate();
    w.arm(Watchdog::Clock::now() + 1h);
    {
        Watchdog::Running running(w, L);
        raise(SIGURG);  // si_code SI_TKILL, not the watchdog's SI_QUEUE
    }
    CHECK(lua_gethook(L) == nullptr);
    w.disarm();
    lua_close(L);
}
