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
    return s;
}

std::optional<Policy> parse_policy(std::string_view name) {
    if (name == "work-stealing") return Policy::work_stealing;
    if (name == "global-queue") return Policy::global_queue;
    if (name == "current-thread") return Policy::current_thread;
    return std::nullopt;
}

}  // namespace spindle
