// Extra name helpers (declared in event_names.h): names of the enums event.h gives
// no to_string, and parsing a kind back from its name.
//
// No state: pure lookup tables.

#include "spindle/instrument/event_names.h"

#include <array>

namespace spindle {

namespace {

template <std::size_t N, class E>
std::string_view lookup(const std::array<std::string_view, N>& names, E value) {
    const auto index = static_cast<std::size_t>(value);
    return index < N ? names[index] : kUnknownName;
}

}  // namespace

std::string_view to_string(WorkerRole r) {
    static constexpr std::array<std::string_view, 2> names = {"core", "blocking"};
    return lookup(names, r);
}

std::string_view to_string(TaskFlavor f) {
    static constexpr std::array<std::string_view, 2> names = {"async", "blocking"};
    return lookup(names, f);
}

std::string_view to_string(PollResult r) {
    static constexpr std::array<std::string_view, 2> names = {"ready", "pending"};
    return lookup(names, r);
}

std::string_view to_string(WaitResult r) {
    static constexpr std::array<std::string_view, 2> names = {"done", "cancelled"};
    return lookup(names, r);
}

std::optional<EventKind> parse_event_kind(std::string_view name) {
    for (int i = 0; i < kEventKindCount; ++i) {
        const auto kind = static_cast<EventKind>(i);
        if (to_string(kind) == name) return kind;
    }
    return std::nullopt;
}

bool is_known_kind(std::uint8_t raw) {
    return raw < kEventKindCount;
}

}  // namespace spindle
