#include "spindle/lua/watchdog.h"

#include <unistd.h>

#include <mutex>

namespace spindle::lua {

namespace {

/// How often the cancel flag is read, and the running thread interrupted again once
/// fired (a Lua thread entered after the first interrupt gets it next time).
constexpr auto kPollEvery = std::chrono::milliseconds(10);
constexpr int kEveryEvent = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;
constexpr int kInterrupt = SIGURG;

/// The SIGURG action before ours: signals that are not a watchdog's go to it.
struct sigaction g_previous {};

/// Whether the watchdog must be woken to see `deadline` in time. It looks again
/// within kPollEvery whatever it waits for, so only a deadline sooner than that
/// needs it: not waking it for every run (a context switch each, and the mutex
/// taken from under the run) is a good part of an exploration's speed.
bool sooner_than_next_look(Watchdog::Clock::time_point deadline) {
    return deadline < Watchdog::Clock::now() + kPollEvery;
}

}  // namespace

void Watchdog::on_interrupt(int signal, siginfo_t* info, void* context) {
    if (info && info->si_code == SI_QUEUE && info->si_pid == getpid() && info->si_value.sival_ptr) {
        // Sent by a watchdog to this thread while it ran a Lua thread: nothing else on
        // this thread runs until the handler returns, so m_running cannot go away.
        auto* w = static_cast<Watchdog*>(info->si_value.sival_ptr);
        if (lua_State* L = w->m_running.load(std::memory_order_relaxed))
            lua_sethook(L, w->m_hook, kEveryEvent, 1);
        return;
    }
    if (g_previous.sa_flags & SA_SIGINFO) {
        if (g_previous.sa_sigaction) g_previous.sa_sigaction(signal, info, context);
    } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN &&
               g_previous.sa_handler) {
        g_previous.sa_handler(signal);
    }
}

void Watchdog::install_handler() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction action {};
        action.sa_sigaction = &Watchdog::on_interrupt;
        action.sa_flags = SA_SIGINFO | SA_RESTART;
        sigemptyset(&action.sa_mask);
        sigaction(kInterrupt, &action, &g_previous);
    });
}

Watchdog::Watchdog(lua_Hook hook) : m_hook(hook), m_thread([this] { loop(); }) {
    install_handler();
}

Watchdog::~Watchdog() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

void Watchdog::arm(Clock::time_point deadline) {
    {
        std::lock_guard lock(m_mutex);
        m_deadline = deadline;
        m_cancel = nullptr;
        m_target = pthread_self();
        m_running.store(nullptr, std::memory_order_relaxed);
        m_fired.store(false, std::memory_order_relaxed);
        m_expired.store(false, std::memory_order_relaxed);
    }
    if (sooner_than_next_look(deadline)) m_cv.notify_all();
}

void Watchdog::disarm() {
    std::lock_guard lock(m_mutex);
    m_deadline = Clock::time_point::max();
    m_cancel = nullptr;
    m_running.store(nullptr, std::memory_order_relaxed);
}

void Watchdog::set_deadline(Clock::time_point deadline) {
    {
        std::lock_guard lock(m_mutex);
        m_deadline = deadline;
    }
    if (sooner_than_next_look(deadline)) m_cv.notify_all();
}

void Watchdog::set_cancel_flag(const std::atomic<bool>* cancel) {
    std::lock_guard lock(m_mutex);
    m_cancel = cancel;
}

Watchdog::Clock::time_point Watchdog::deadline() const {
    std::lock_guard lock(m_mutex);
    return m_deadline;
}

// enter and leave run on the thread that runs Lua, so they may set the hook
// themselves: a Lua thread entered after the watchdog fired traps at once.
lua_State* Watchdog::enter(lua_State* L) {
    lua_State* outer = m_running.exchange(L, std::memory_order_relaxed);
    if (L && m_fired.load(std::memory_order_relaxed)) lua_sethook(L, m_hook, kEveryEvent, 1);
    return outer;
}

void Watchdog::leave(lua_State* outer) {
    m_running.store(outer, std::memory_order_relaxed);
    if (outer && m_fired.load(std::memory_order_relaxed))
        lua_sethook(outer, m_hook, kEveryEvent, 1);
}

void Watchdog::loop() {
    std::unique_lock lock(m_mutex);
    while (!m_quit) {
        if (!m_fired.load(std::memory_order_relaxed)) {
            const bool cancelled = m_cancel && m_cancel->load(std::memory_order_relaxed);
            const bool expired = Clock::now() >= m_deadline;
            if (!cancelled && !expired) {
                const auto wake = std::min(m_deadline, Clock::now() + kPollEvery);
                m_cv.wait_until(lock, wake);
                continue;
            }
            if (expired) m_expired.store(true, std::memory_order_relaxed);
            m_fired.store(true, std::memory_order_relaxed);
        }
        // Only a hint that Lua runs there now: the handler looks again, on that thread.
        if (m_running.load(std::memory_order_relaxed)) {
            union sigval value {};
            value.sival_ptr = this;
            pthread_sigqueue(m_target, kInterrupt, value);
        }
        m_cv.wait_for(lock, kPollEvery);
    }
}

}  // namespace spindle::lua
