#include "schedule_flags.h"

namespace spindle::session {

const std::array<BudgetFlag, 4> kScheduleFlags = {{
    {"strategy",
     "fixed | random | pct: how the scheduler picks among runnable tasks (overrides the "
     "scenario's)",
     "S"},
    {"depth", "PCT depth: priority changes + 1, from 1 to 1000 (default 3)", "D"},
    {"pct-steps", "PCT: the run's length in scheduling choices, estimated (default 1000)", "N"},
    {"jitter", "each poll's and work()'s cost varies by up to +-PCT % (0 to 100)", "PCT"},
}};

std::optional<std::string> set_schedule(lua::ScenarioSettings& overrides, std::string_view name,
                                        std::string_view text) {
    const auto v = parse_decimal(text);
    auto range_error = [&](std::uint64_t lo, std::uint64_t hi) {
        return "--" + std::string(name) + " expects an integer from " + std::to_string(lo) +
               " to " + std::to_string(hi);
    };
    if (name == "strategy") {
        const auto s = parse_strategy(text);
        if (!s) return std::string("--strategy expects fixed, random or pct");
        overrides.strategy = *s;
    } else if (name == "depth") {
        if (!v || *v < 1 || *v > kMaxPctDepth) return range_error(1, kMaxPctDepth);
        overrides.pct_depth = static_cast<std::uint32_t>(*v);
    } else if (name == "pct-steps") {
        constexpr std::uint64_t kAny = ~std::uint64_t{0} >> 1;
        if (!v || *v < 1 || *v > kAny) return range_error(1, kAny);
        overrides.pct_steps = *v;
    } else if (name == "jitter") {
        if (!v || *v > kMaxJitterPct) return range_error(0, kMaxJitterPct);
        overrides.jitter_pct = static_cast<std::uint32_t>(*v);
    } else {
        return "unknown schedule flag --" + std::string(name);
    }
    return std::nullopt;
}

}  // namespace spindle::session
