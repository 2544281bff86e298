#include "spindle/core/scheduler_policy.h"

#include "spindle/core/global_queue_policy.h"
#include "spindle/core/work_stealing_policy.h"

namespace spindle {

std::unique_ptr<SchedulerPolicy> make_policy(const RuntimeConfig& config, int workers,
                                             Instrument& instrument, Rng& rng) {
    if (config.policy == Policy::work_stealing)
        return std::make_unique<WorkStealingPolicy>(config, workers, instrument, rng);
    return std::make_unique<GlobalQueuePolicy>();
}

}  // namespace spindle
