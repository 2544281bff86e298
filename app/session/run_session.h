#pragma once
// run_session: the one way every front end gets a run — run a scenario (a file or
// source text) or read a native trace, fold it into a view model and a run summary,
// and report how it ended (rebuilding the deadlock report from the events when a
// trace holds none).
//
// Nothing is kept between calls; each call owns its Lua state, runtime and folds.
// It runs on the calling thread (the window calls it from its run thread); extra
// sinks are called on that thread too. Setting `cancel` from another thread stops
// the run, which then ends as RunStatus::cancelled with what ran until then.

#include <atomic>
#include <memory>
#include <vector>

#include "run_model.h"
#include "run_report.h"
#include "run_request.h"
#include "spindle/instrument/run_summary.h"
#include "spindle/instrument/sink.h"

namespace spindle::session {

struct SessionOptions {
    std::vector<EventSink*> sinks;  ///< also fed every event (printers, dumps, trace writers)
    const std::atomic<bool>* cancel = nullptr;
    /// Fold a view::RunModel too (the viewer and exports need one; spindle-run does not).
    bool build_model = true;
};

/// A finished run: its report, and the folds the front ends draw and print from.
struct Session {
    RunReport report;
    std::shared_ptr<view::RunModel> model;          ///< null unless build_model or a trace was read
    std::shared_ptr<const RunSummary> own_summary;  ///< the fold when there is no model

    /// The run's statistics: the model's own fold, or the session's when it has none.
    const RunSummary& summary() const { return model ? model->summary() : *own_summary; }
};

/// Runs or reads what `request` names; see the top of this file.
Session run_session(const RunRequest& request, const SessionOptions& options = {});

}  // namespace spindle::session
