#pragma once
// Event kinds by name: parsing a kind back from its name and telling a known kind
// from a raw byte. The names of the small enums events carry (and kUnknownName)
// are declared in core/ids.h, which this header brings in through event.h.
//
// No state: pure functions.

#include <cstdint>
#include <optional>
#include <string_view>

#include "spindle/instrument/event.h"

namespace spindle {

/// The kind whose to_string is `name`, or nullopt.
std::optional<EventKind> parse_event_kind(std::string_view name);

/// True if `raw` is the value of an EventKind enumerator (raw < kEventKindCount).
bool is_known_kind(std::uint8_t raw);

}  // namespace spindle
