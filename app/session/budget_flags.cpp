#include "budget_flags.h"

#include <charconv>

namespace spindle::session {

const std::array<BudgetFlag, 5> kBudgetFlags = {{
    {"max-instructions", "Lua instructions a task may run between two waits (0: unlimited)", "N"},
    {"max-heap-mb", "heap budget in MiB (Lua heap and host objects)", "MB"},
    {"max-time-ms", "virtual-time budget in ms", "MS"},
    {"max-events", "event budget", "N"},
    {"max-wall-ms", "wall-clock budget in ms", "MS"},
}};

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
    if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != text.npos)
        return std::nullopt;
    std::uint64_t v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
}

std::optional<std::string> set_budget(lua::Budgets& budgets, std::string_view name,
                                      std::string_view text) {
    const auto v = parse_decimal(text);
    auto range_error = [&](std::uint64_t lo, std::uint64_t hi) {
        return "--" + std::string(name) + " expects an integer from " + std::to_string(lo) +
               " to " + std::to_string(hi);
    };
    constexpr std::uint64_t kAny = ~std::uint64_t{0} >> 1;
    if (name == "max-instructions") {
        if (!v || (*v != 0 && *v < 1000) || *v > kAny)
            return std::string(
                "--max-instructions expects 0 (unlimited) or an integer from 1000 up");
        budgets.instructions_per_poll = *v;
    } else if (name == "max-heap-mb") {
        if (!v || *v < 1 || *v > (1u << 20)) return range_error(1, 1u << 20);
        budgets.heap_bytes = static_cast<std::size_t>(*v) << 20;
    } else if (name == "max-time-ms") {
        if (!v || *v < 1 || *v > (std::uint64_t{1} << 40))
            return range_error(1, std::uint64_t{1} << 40);
        budgets.virtual_time = Nanos(static_cast<std::int64_t>(*v) * 1'000'000);
    } else if (name == "max-events") {
        if (!v || *v < 1 || *v > kAny) return range_error(1, kAny);
        budgets.events = *v;
    } else if (name == "max-wall-ms") {
        if (!v || *v < 1 || *v > (std::uint64_t{1} << 40))
            return range_error(1, std::uint64_t{1} << 40);
        budgets.wall_clock = std::chrono::milliseconds(*v);
    } else {
        return "unknown budget --" + std::string(name);
    }
    return std::nullopt;
}

}  // namespace spindle::session
