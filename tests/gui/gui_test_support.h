#pragma once
// Helpers shared by the GUI tests: shipped scenarios run once into RunModels, and
// synthetic models fed event by event. State: a per-process cache of models, filled
// on first use from the test thread only.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "run_model.h"
#include "spindle/lua/scenario.h"

namespace spindle::test {

/// The model of scenarios/NAME run with its own settings, or under `policy` when
/// given (cached; never changes).
inline const view::RunModel& scenario_model(const std::string& name,
                                            std::optional<Policy> policy = std::nullopt) {
    static std::map<std::pair<std::string, int>, std::unique_ptr<view::RunModel>> cache;
    auto& slot = cache[{name, policy ? static_cast<int>(*policy) : -1}];
    if (!slot) {
        slot = std::make_unique<view::RunModel>();
        lua::ScenarioOptions options;
        options.path = std::string(SPINDLE_SOURCE_DIR) + "/scenarios/" + name;
        options.overrides.policy = policy;
        options.sinks.push_back(slot.get());
        const lua::ScenarioResult result = lua::run_scenario(options);
        (void)result;
    }
    return *slot;
}

/// Feeds events to a model by hand (seq numbers assigned in order).
class EventFeeder {
public:
    explicit EventFeeder(view::RunModel& model) : m_model(model) {}

    void emit_event(EventKind kind, std::int64_t t, WorkerId worker = kNoWorker, TaskId task = 0,
                    std::uint8_t detail = 0, std::uint32_t count = 0, std::uint64_t arg = 0,
                    std::string_view text = {}) {
        Event e;
        e.seq = m_seq++;
        e.time_ns = t;
        e.kind = kind;
        e.worker = worker;
        e.task = task;
        e.detail = detail;
        e.count = count;
        e.arg = arg;
        e.text = text.empty() ? 0 : 1;
        m_model.on_event(e, text);
    }

private:
    view::RunModel& m_model;
    std::uint64_t m_seq = 0;
};

}  // namespace spindle::test
