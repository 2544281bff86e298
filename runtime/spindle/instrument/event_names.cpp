// Parsing event kinds back from their names (declared in event_names.h).
//
// No state: pure functions over the names in event.cpp.

#include "spindle/instrument/event_names.h"

namespace spindle {

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
