#pragma once
// Virtual time. All runtime time is integer nanoseconds since the run started.

#include <chrono>
#include <cstdint>

namespace spindle {

/// A virtual duration or instant (since run start), in nanoseconds.
using Nanos = std::chrono::nanoseconds;

using namespace std::chrono_literals;

}  // namespace spindle
