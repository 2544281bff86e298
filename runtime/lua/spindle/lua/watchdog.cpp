#include "spindle/lua/watchdog.h"

namespace spindle::lua {

namespace {

/// How often the cancel flag is read, and the hook set again once fired (a thread
/// that was not running at the first try, or switched away, gets it next time).
constexpr auto kPollEvery = std::chrono::milliseconds(10);
constexpr int kEveryEvent = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;

/// Whether the watchdog must be woken to see `deadline` in time. It looks again
/// within kPollEvery whatever it waits for, so only a deadline sooner than that
/// needs it: not waking it for every run (a context switch each, and the mutex
/// taken from under the run) is a good part of an exploration's speed.
bool sooner_than_next_look(Watchdog::Clock::time_point deadline) {
    return deadline < Watchdog::Clock::now() + kPollEvery;
}

}  // namespace

Watchdog::Watchdog(lua_Hook hook) : m_hook(hook), m_thread([this] { loop(); }) {}

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
        m_running = nullptr;
        m_fired.store(false, std::memory_order_relaxed);
        m_expired.store(false, std::memory_order_relaxed);
    }
    if (sooner_than_next_look(deadline)) m_cv.notify_all();
}

void Watchdog::disarm() {
    std::lock_guard lock(m_mutex);
    m_deadline = Clock::time_point::max();
    m_cancel = nullptr;
    m_running = nullptr;
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

lua_State* Watchdog::enter(lua_State* L) {
    std::lock_guard lock(m_mutex);
    lua_State* outer = m_running;
    m_running = L;
    if (L && m_fired.load(std::memory_order_relaxed)) lua_sethook(L, m_hook, kEveryEvent, 1);
    return outer;
}

void Watchdog::leave(lua_State* outer) {
    std::lock_guard lock(m_mutex);
    m_running = outer;
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
        if (m_running) lua_sethook(m_running, m_hook, kEveryEvent, 1);
        m_cv.wait_for(lock, kPollEvery);
    }
}

}  // namespace spindle::lua
