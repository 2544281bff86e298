#include "spindle/core/config.h"

namespace spindle {

std::string RuntimeConfig::describe() const {
    std::string s;
    if (!label.empty()) s += "scenario=" + label + " ";
    s += "workers=" + std::to_string(workers);
    s += " policy=" + std::string(to_string(policy));
    s += " seed=" + std::to_string(seed);
    s += " poll_cost_ns=" + std::to_string(poll_cost.count());
    s += " max_blocking_threads=" + std::to_string(max_blocking_threads);
    s += " local_queue_capacity=" + std::to_string(local_queue_capacity);
    s += " global_queue_interval=" + std::to_string(global_queue_interval);
    // Only when not the default, so fixed runs describe themselves as they always did.
    if (strategy != Strategy::fixed) s += " strategy=" + std::string(to_string(strategy));
    if (strategy == Strategy::pct)
        s += " depth=" + std::to_string(pct_depth) + " pct_steps=" + std::to_string(pct_steps);
    if (jitter_pct != 0) s += " jitter_pct=" + std::to_string(jitter_pct);
    return s;
}

std::optional<Policy> parse_policy(std::string_view name) {
    if (name == "work-stealing") return Policy::work_stealing;
    if (name == "global-queue") return Policy::global_queue;
    if (name == "current-thread") return Policy::current_thread;
    return std::nullopt;
}

std::string_view to_string(Strategy s) {
    switch (s) {
        case Strategy::random:
            return "random";
        case Strategy::pct:
            return "pct";
        case Strategy::fixed:
            break;
    }
    return "fixed";
}

std::optional<Strategy> parse_strategy(std::string_view name) {
    if (name == "fixed") return Strategy::fixed;
    if (name == "random") return Strategy::random;
    if (name == "pct") return Strategy::pct;
    return std::nullopt;
}

}  // namespace spindle
