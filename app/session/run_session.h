#pragma once
// run_session: the one way every front end gets a run — run a scenario (a file or
// source text) or read a native trace, fold it into a view model and a run summary,
// and report how it ended (rebuilding the deadlock report from the events when a
// trace holds none).
//
// Nothing is kept between calls; each call owns its Lua state, runtime and folds.
// It runs on the calling thread (the window calls it from its run thread); extra
// sinks are called on that thread too. Setting `cancel` from another thread stops
// the run, which then ends as RunStatus::cancelled with what ran until then. A trace
// is decoded chunk by chunk on a helper thread and handed to the model and sinks on
// the calling thread (no copy of the file or of its events is held); one that turns
// out bad gives a load error and an empty
// model, however much of it had been folded.

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "run_limits.h"
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
    /// Most events the model may hold: a longer run stops at its event budget, a
    /// longer trace is refused as too_large (benchmarks raise it; see run_limits.h).
    std::uint64_t max_model_events = kMaxModelEvents;
    /// The model is wanted only if it fits (spindle-run reads breakdowns, explanations
    /// and a trace's deadlock report from it): a run is not stopped at max_model_events,
    /// nor a trace refused past it (it may have as many events as a run may: 50 million);
    /// the model is dropped instead (Session::model null, model_dropped set) and the
    /// report and statistics come from the session's own fold.
    bool model_optional = false;
    /// Called while a trace is read (on the calling thread, every few thousand events):
    /// bytes of the file in the model so far, never going back, and the file's size;
    /// done == total at the end of a complete read.
    std::function<void(std::uint64_t done, std::uint64_t total)> read_progress;
    /// A trace: decode it on a helper thread while the calling thread folds (false: decode
    /// and fold on the calling thread; the benchmarks compare the two).
    bool read_ahead = true;
    /// A scenario run: the script as prepared once for many runs (an exploration);
    /// the request's file or text is then not read. Null: prepared for this run.
    const lua::PreparedScenario* prepared = nullptr;
    /// A scenario run: the watchdog its Lua states arm (see lua::make_watchdog).
    lua::Watchdog* watchdog = nullptr;
};

/// A finished run: its report, and the folds the front ends draw and print from.
struct Session {
    RunReport report;
    /// null unless build_model or a trace was read (and then null if model_dropped)
    std::shared_ptr<view::RunModel> model;
    std::shared_ptr<const RunSummary> own_summary;  ///< the fold when there is no model
    /// model_optional, and the run had more events than the model may hold.
    bool model_dropped = false;

    /// The run's statistics: the model's own fold, or the session's when it has none.
    const RunSummary& summary() const { return model ? model->summary() : *own_summary; }
};

/// Runs or reads what `request` names; see the top of this file.
Session run_session(const RunRequest& request, const SessionOptions& options = {});

}  // namespace spindle::session
