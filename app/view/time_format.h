#pragma once
// time_format: the one formatter of virtual times (ns) as text, for every view:
// ruler labels, tooltips, the stage's clock, table cells, chart axes. Plain C++
// (no Qt); the texts are UTF-8 ("µs").
//
// Invariants: every function is pure (the same input gives the same bytes). The
// texts are exactly what each view showed before the views shared this file, down
// to its quirks (tests/app/time_format_cases.h lists them): a change here changes
// exported pictures, so it goes with that table and the golden pictures. Anyone
// may call it; only the viewer's model layer owns it.

#include <cstdint>
#include <string>

namespace spindle::view {

using Time = std::int64_t;  ///< virtual ns since run start

/// A unit times are shown in.
struct TimeUnit {
    double ns = 1e6;          ///< its length in ns
    const char* name = "ms";  ///< "s", "ms", "µs" or "ns"
    int decimals = 3;         ///< the fixed decimals a column of times shows in it
};

/// "12.5 ms", "340 µs", "1.25 s": `t` in the largest unit not above max(|t|, step),
/// with the decimals that make `step` visible (ruler ticks, readouts).
std::string format_time(Time t, Time step);
/// `t` to a tenth of a µs below 1 ms and to a µs from there ("1.235 ms"): tooltips,
/// the playhead, the stage's clock.
std::string format_time(Time t);
/// A duration to three significant digits ("3.2 ms", "52 µs", "800 ns").
std::string format_duration(Time d);

/// The unit a chart axis over `span` counts in: the largest one `span` holds at
/// least one of (ns below 1 µs).
TimeUnit axis_unit(Time span);
/// The unit of a column of times up to `run_end`, so they line up: as axis_unit,
/// except that seconds wait for 10 s (a 2 s run reads in ms).
TimeUnit column_unit(Time run_end);
/// `t` in `unit` with its fixed decimals ("6.696 ms"); an exact half rounds away
/// from zero. Independent of the C locale.
std::string format_fixed(Time t, const TimeUnit& unit);

}  // namespace spindle::view
