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

/// Exported picture width in logical pixels, and its pixel ratio.
inline constexpr int kMinExportWidth = 200;
inline constexpr int kMaxExportWidth = 32000;
inline constexpr double kMinPixelRatio = 0.25;
inline constexpr double kMaxPixelRatio = 8;

}  // namespace spindle::session
