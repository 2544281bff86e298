#pragma once
// The one parser of a virtual-time range typed on a command line ("FROM:TO" in ms,
// fractions allowed), shared by spindle --export --range and spindle-run --range.
// Plain functions; no state.

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace spindle::session {

/// A time in ms typed on a command line: a finite decimal number from 0 to 1e9
/// ("2", "0.25", " 3.5"); nothing otherwise.
std::optional<double> parse_ms(std::string_view text);

/// "FROM:TO" in ms with 0 <= FROM < TO, as nanoseconds [from, to]; nothing when the
/// text is not one (or rounds to an empty range).
std::optional<std::pair<std::int64_t, std::int64_t>> parse_ms_range(std::string_view text);

}  // namespace spindle::session
