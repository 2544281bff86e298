#pragma once
// The budget flags both command lines take (--max-instructions, --max-heap-mb,
// --max-time-ms, --max-events, --max-wall-ms): their names, help and the one
// parser, so spindle-run and spindle --export bound a script the same way.
// Plain data and functions; no state.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "spindle/lua/scenario.h"

namespace spindle::session {

/// One budget a command line can set.
struct BudgetFlag {
    std::string_view name;   ///< without the leading "--"
    std::string_view help;   ///< one line, as --help shows it
    std::string_view value;  ///< the value's name in --help ("N", "MS")
};

/// Every budget flag, in the order --help lists them.
extern const std::array<BudgetFlag, 5> kBudgetFlags;

/// Sets the budget flag `name` (without "--") names from `text`. Returns the error a
/// person sees ("--max-heap-mb expects an integer from 1 to 1048576"), or nothing.
std::optional<std::string> set_budget(lua::Budgets& budgets, std::string_view name,
                                      std::string_view text);

/// A non-negative decimal integer of at most 19 digits, nothing else (no sign, no
/// spaces); nothing when `text` is not one.
std::optional<std::uint64_t> parse_decimal(std::string_view text);

}  // namespace spindle::session
