#pragma once
// Endpoint: base of the move-only handles on a primitive's shared state — the
// senders and receivers of channels, lock guards, semaphore permits — that give
// their hold back when dropped.
//
// State: the shared core (nullptr for an empty, dropped or moved-from handle)
// and an optional per-handle Extra (a receiver's cursor, the task a hold is
// accounted to), both touched only by the handle's owner.
// Rules:
//  - drop(), destruction and move-assignment onto a live handle hand the core
//    (and Extra) to the static Derived::release exactly once, then leave the
//    handle empty; dropping an empty handle does nothing;
//  - a moved-from handle is empty and its Extra is reset to Extra{};
//  - handles are move-only.
// release is static because the base destructor calls it after the derived
// part is gone: it must only use what it is passed.

#include <memory>
#include <type_traits>
#include <utility>

#include "spindle/core/ids.h"

namespace spindle {

/// Extra of a handle that holds nothing but its core.
struct NoExtra {};

/// Base of a move-only handle on a shared `Core` (which has a ResourceId `id`).
/// Derived provides `static void release(std::shared_ptr<Core>)`, or with an
/// Extra `static void release(std::shared_ptr<Core>, Extra)` (private, with
/// `friend Endpoint`), and exposes what it wants of drop() / valid() / id()
/// under its own public names.
template <class Derived, class Core, class Extra = NoExtra>
class Endpoint {
    static constexpr bool kPlain = std::is_same_v<Extra, NoExtra>;

public:
    Endpoint() = default;
    explicit Endpoint(std::shared_ptr<Core> core) requires kPlain : m_core(std::move(core)) {}
    Endpoint(std::shared_ptr<Core> core, Extra extra) requires(!kPlain)
        : m_core(std::move(core)), m_extra(std::move(extra)) {}
    Endpoint(Endpoint&& o) noexcept
        : m_core(std::move(o.m_core)), m_extra(std::exchange(o.m_extra, Extra{})) {}
    Endpoint& operator=(Endpoint&& o) noexcept {
        if (this != &o) {
            drop();
            m_core = std::move(o.m_core);
            m_extra = std::exchange(o.m_extra, Extra{});
        }
        return *this;
    }

protected:
    ~Endpoint() { drop(); }

    /// Gives the hold back now (through Derived::release). Idempotent.
    void drop() {
        if (!m_core) return;
        if constexpr (kPlain)
            Derived::release(std::exchange(m_core, nullptr));
        else
            Derived::release(std::exchange(m_core, nullptr), std::exchange(m_extra, Extra{}));
    }
    /// True until the handle is dropped or moved from.
    bool valid() const { return static_cast<bool>(m_core); }
    /// The resource's id (0 for an empty handle).
    ResourceId id() const { return m_core ? m_core->id : 0; }

    std::shared_ptr<Core> m_core;
    [[no_unique_address]] Extra m_extra{};
};

}  // namespace spindle
