#pragma once
// The ranges the front ends accept for a run's settings and an export, in one place,
// so the command lines, the toolbar and the export dialog agree. The runtime's own
// limit (kMaxWorkers) lives with RuntimeConfig; it is repeated here by name only.

#include <cstdint>

#include "spindle/core/config.h"

namespace spindle::session {

using spindle::kMaxWorkers;
inline constexpr int kMinWorkers = 1;
/// Seeds are non-negative 63-bit integers (a Lua integer holds them exactly).
inline constexpr std::uint64_t kMaxSeed = ~std::uint64_t{0} >> 1;

/// Largest scenario script a front end reads (a script is source text: anything
/// bigger is a mistake, like /dev/zero or a log file). Traces: kMaxTraceFileBytes.
inline constexpr std::uint64_t kMaxScriptBytes = std::uint64_t{16} << 20;

/// Most events a run may emit when a front end folds it into a view model (the
/// window, spindle --export): the model holds about 50-100 bytes per event, so this
/// keeps it within a few hundred MB. spindle-run, which keeps no model, uses the
/// runtime's own default (lua::Budgets::events).
inline constexpr std::uint64_t kMaxModelEvents = 5'000'000;

/// Most events a model folded from a trace may hold, when a run may hold `max_events`: a
/// run stopped by its event budget still ends the poll in progress and then the run, so
/// its trace holds a few more events than the budget (a poll that emits many: many more).
/// A tenth more lets the viewer reopen the traces it saves.
constexpr std::uint64_t model_trace_events(std::uint64_t max_events) {
    return max_events + max_events / 10;
}

/// Exported picture width in logical pixels, and its pixel ratio.
inline constexpr int kMinExportWidth = 200;
inline constexpr int kMaxExportWidth = 32000;
inline constexpr double kMinPixelRatio = 0.25;
inline constexpr double kMaxPixelRatio = 8;
/// Most device pixels an exported PNG may have (its pixels are held in memory while
/// it is encoded: 100 megapixels is 400 MB).
inline constexpr std::int64_t kMaxExportPixels = 100'000'000;

}  // namespace spindle::session
