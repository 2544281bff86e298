#include "worker_names.h"

namespace spindle::view {

std::string worker_name(const RunModel& model, WorkerId id) {
    const auto& workers = model.workers();
    if (id >= workers.size() || workers[id].role == WorkerRole::core)
        return "thread " + std::to_string(id);
    const WorkerTrack& w = workers[id];
    int n = 0;  // earlier workers of the same kind (and pool)
    for (WorkerId i = 0; i < id; ++i)
        n += workers[i].role == w.role && workers[i].pool == w.pool;
    switch (w.role) {
        case WorkerRole::blocking:
            return "blocking " + std::to_string(n);
        case WorkerRole::thread:
            return "os thread " + std::to_string(n + 1);
        case WorkerRole::rayon: {
            const ResourceTrack* r = model.resource(w.pool);
            return (r && !r->name.empty() ? r->name : std::string("rayon")) + " " +
                   std::to_string(n);
        }
        default:
            return "thread " + std::to_string(id);
    }
}

}  // namespace spindle::view
