#pragma once
// The schedule-exploration flags both command lines take (--strategy, --depth,
// --pct-steps, --jitter): their names, help and the one parser, so spindle-run and
// spindle run a scenario under the same schedule. Plain data and functions; no state.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "budget_flags.h"
#include "spindle/lua/scenario.h"

namespace spindle::session {

/// Every schedule flag, in the order --help lists them (BudgetFlag: name, help, value).
extern const std::array<BudgetFlag, 4> kScheduleFlags;

/// Sets the schedule flag `name` (without "--") in `overrides` from `text`. Returns the
/// error a person sees ("--jitter expects an integer from 0 to 100"), or nothing.
std::optional<std::string> set_schedule(lua::ScenarioSettings& overrides, std::string_view name,
                                        std::string_view text);

}  // namespace spindle::session
