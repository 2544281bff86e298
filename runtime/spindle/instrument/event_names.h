#pragma once
// Extra name helpers for events that event.h does not declare: names of the
// remaining small enums and parsing a kind back from its name.
//
// No state: pure functions.

#include <cstdint>
#include <optional>
#include <string_view>

#include "spindle/instrument/event.h"

namespace spindle {

/// What every to_string returns for a value outside its enum (e.g. from a damaged stream).
inline constexpr std::string_view kUnknownName = "?";

/// Stable lower_snake_case names of the enums that event.h gives no to_string.
std::string_view to_string(WorkerRole r);
std::string_view to_string(TaskFlavor f);
std::string_view to_string(PollResult r);
std::string_view to_string(WaitResult r);

/// The kind whose to_string is `name`, or nullopt.
std::optional<EventKind> parse_event_kind(std::string_view name);

/// True if `raw` is the value of an EventKind enumerator (raw < kEventKindCount).
bool is_known_kind(std::uint8_t raw);

}  // namespace spindle
