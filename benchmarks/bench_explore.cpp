// spindle_explore_bench: how fast schedules are explored, and which strategy finds
// which bug. Prints figures; never fails.
//
//   build-rel/benchmarks/spindle_explore_bench [TRIALS]      (default 20; 0: throughput only)
//
// 1. Throughput: `--explore 2000 --strategy random` of lost_update.lua (not
//    recording), with 1 job and with 2, median of three each, and their ratio.
//    Beside each, schedules per second of CPU the process used (getrusage): on a
//    machine other programs load, wall-clock figures say how much CPU was left to
//    us; the CPU figure says what a schedule costs, and equal CPU figures for 1 and
//    2 jobs say the jobs do not slow each other (no shared lock, no false sharing).
// 2. Find rate: for each racy shipped scenario and each strategy, TRIALS
//    explorations of 1000 schedules with different base seeds (1, 1001, 2001, …);
//    a trial finds the bug when any schedule's outcome is not "completed".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include <sys/resource.h>

#include "explore.h"

using namespace spindle;

namespace {

const std::filesystem::path kScenarios = std::filesystem::path(SPINDLE_SOURCE_DIR) / "scenarios";

double median3(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto s = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return s(u.ru_utime) + s(u.ru_stime);
}

struct Rate {
    double wall = 0;  ///< schedules per second
    double cpu = 0;   ///< schedules per second of CPU used
};

Rate schedules_per_second(unsigned jobs) {
    std::vector<double> rates, cpu_rates;
    for (int rep = 0; rep < 3; ++rep) {
        session::ExploreRequest r;
        r.run.path = kScenarios / "lost_update.lua";
        r.run.overrides.strategy = Strategy::random;
        r.runs = 2000;
        r.jobs = jobs;
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = cpu_seconds();
        const session::ExploreResult result = session::explore(r);
        const double c = cpu_seconds() - c0;
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        rates.push_back(static_cast<double>(result.runs) / s);
        cpu_rates.push_back(static_cast<double>(result.runs) / c);
    }
    return {median3(rates), median3(cpu_rates)};
}

}  // namespace

int main(int argc, char** argv) {
    const int trials = argc > 1 ? std::max(0, std::atoi(argv[1])) : 20;
    std::printf(
        "explore throughput, lost_update.lua, strategy random, 2000 schedules, median of 3\n");
    const Rate one = schedules_per_second(1);
    const Rate two = schedules_per_second(2);
    std::printf("  --jobs 1: %8.0f schedules/s                     %8.0f per CPU-second\n",
                one.wall, one.cpu);
    std::printf("  --jobs 2: %8.0f schedules/s   (%.2fx --jobs 1)   %8.0f per CPU-second\n\n",
                two.wall, two.wall / one.wall, two.cpu);

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
