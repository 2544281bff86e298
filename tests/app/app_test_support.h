#pragma once
// Helpers shared by the view-model tests: runs of real programs on the C++
// runtime (or of shipped scenarios), recorded into a RunModel, and lookups into
// the model.
// Note: never co_await inside a Catch2 assertion macro (GCC awaits twice).

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "run_model.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/lua/scenario.h"
#include "spindle/sync/mpsc.h"

namespace app_test {

constexpr spindle::Nanos ms(std::int64_t n) {
    return spindle::Nanos(n * 1'000'000);
}

/// A producer (main) filling a capacity-2 channel faster than a consumer drains it.
inline void run_pipeline(spindle::view::RunModel& model, int workers = 2) {
    using namespace spindle;
    RuntimeConfig c;
    c.workers = workers;
    Runtime rt(c);
    rt.subscribe(model);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(2, "pipe");
        auto consumer = spawn("consumer", [](mpsc::Receiver<int> rx) -> Task<void> {
            while (co_await rx.recv())
                co_await work(ms(1));
        }(std::move(rx)));
        for (int i = 0; i < 6; ++i)
            co_await tx.send(i);
        tx.drop();
        co_await consumer;
    }());
}

/// The model of scenarios/NAME (a shipped scenario) run with its own settings;
/// cached, never changes. SPINDLE_SOURCE_DIR is the source tree.
inline const spindle::view::RunModel& scenario_model(const std::string& name) {
    static std::map<std::string, std::unique_ptr<spindle::view::RunModel>> cache;
    auto& slot = cache[name];
    if (!slot) {
        slot = std::make_unique<spindle::view::RunModel>();
        spindle::lua::ScenarioOptions options;
        options.path = std::string(SPINDLE_SOURCE_DIR) + "/scenarios/" + name;
        options.sinks.push_back(slot.get());
        spindle::lua::run_scenario(options);
    }
    return *slot;
}

/// The task called `name`, or nullptr.
inline const spindle::view::TaskInfo* task_named(const spindle::view::RunModel& m,
                                                 std::string_view name) {
    for (const spindle::view::TaskInfo& t : m.tasks())
        if (t.name == name) return &t;
    return nullptr;
}

}  // namespace app_test
