#pragma once
// Worker names, as every view shows them: core workers "thread <id>", blocking threads
// "blocking <n>" (from 0), OS threads "os thread <n>" (from 1), a Rayon pool's threads
// "<pool name> <i>" (from 0 within the pool). No state: pure functions of the model.

#include <string>

#include "run_model.h"

namespace spindle::view {

/// The name of worker `id` in `model` ("thread <id>" when the model does not know it).
std::string worker_name(const RunModel& model, WorkerId id);

}  // namespace spindle::view
