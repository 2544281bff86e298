// spindle_explore_bench: how fast schedules are explored, and which strategy finds
// which bug. Prints figures; never fails.
//
//   build-rel/benchmarks/spindle_explore_bench [TRIALS]      (default 20; 0: throughput only)
//
// 1. Throughput: `--explore 2000 --strategy random` of lost_update.lua (not
//    recording), with 1 job and with 2, median of three each, and their ratio.
// 2. Find rate: for each racy shipped scenario and each strategy, TRIALS
//    explorations of 1000 schedules with different base seeds (1, 1001, 2001, …);
//    a trial finds the bug when any schedule's outcome is not "completed".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "explore.h"

using namespace spindle;

namespace {

const std::filesystem::path kScenarios = std::filesystem::path(SPINDLE_SOURCE_DIR) / "scenarios";

double median3(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double schedules_per_second(unsigned jobs) {
    std::vector<double> rates;
    for (int rep = 0; rep < 3; ++rep) {
        session::ExploreRequest r;
        r.run.path = kScenarios / "lost_update.lua";
        r.run.overrides.strategy = Strategy::random;
        r.runs = 2000;
        r.jobs = jobs;
        const auto t0 = std::chrono::steady_clock::now();
        const session::ExploreResult result = session::explore(r);
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        rates.push_back(static_cast<double>(result.runs) / s);
    }
    return median3(rates);
}

}  // namespace

int main(int argc, char** argv) {
    const int trials = argc > 1 ? std::max(0, std::atoi(argv[1])) : 20;
    std::printf(
        "explore throughput, lost_update.lua, strategy random, 2000 schedules, median of 3\n");
    const double one = schedules_per_second(1);
    const double two = schedules_per_second(2);
    std::printf("  --jobs 1: %8.0f schedules/s\n", one);
    std::printf("  --jobs 2: %8.0f schedules/s   (%.2fx --jobs 1)\n\n", two, two / one);

    if (trials == 0) return 0;
    std::printf("find rate: trials (of %d) of --explore 1000 that met the bug\n", trials);
    std::printf("  %-26s %8s %8s %8s\n", "scenario", "fixed", "random", "pct");
    for (const char* name :
         {"lost_update.lua", "lock_order_sometimes.lua", "lost_wakeup.lua", "message_order.lua"}) {
        std::printf("  %-26s", name);
        for (Strategy s : {Strategy::fixed, Strategy::random, Strategy::pct}) {
            int found = 0;
            for (int t = 0; t < trials; ++t) {
                session::ExploreRequest r;
                r.run.path = kScenarios / name;
                r.run.overrides.strategy = s;
                r.base_seed = 1 + 1000 * static_cast<std::uint64_t>(t);
                r.base_seed_given = true;
                r.runs = 1000;
                const session::ExploreResult result = session::explore(r);
                found += std::any_of(result.classes.begin(), result.classes.end(),
                                     [](const session::OutcomeClass& k) {
                                         return k.status != session::RunStatus::completed;
                                     });
            }
            std::printf(" %5d/%-2d", found, trials);
        }
        std::printf("\n");
        std::fflush(stdout);
    }
    return 0;
}
