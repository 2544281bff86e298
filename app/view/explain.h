#pragma once
// Explain: "why did this task wait?" as a chain of causes. A waiting span is
// explained by what it waited on, from when to when, why (the buffer was empty or
// full, the lock was held by X, a join on Y, a timer) and what ended it (X's send of
// message #17 at t, a timer); then the waker's own latest wait before it woke us is
// explained the same way, and so on back. A task is explained by its life's
// breakdown, its longest waits (each with its chain) and its critical path.
//
// Every line is a list of pieces; a piece may name a task, a resource and a time so
// a front end can make it clickable (the Explain dock) or print it (spindle-run
// --explain). State: none — pure functions of a finished RunModel. Plain C++, no Qt.

#include <cstddef>
#include <string>
#include <vector>

#include "critical_path.h"
#include "run_model.h"

namespace spindle::view {

/// A run of text, optionally pointing into the run.
struct ExplainPiece {
    std::string text;
    TaskId task = 0;          ///< a task it names (0: none)
    ResourceId resource = 0;  ///< a resource it names (0: none)
    Time time = -1;           ///< a time it names (-1: none)
    bool is_link() const { return task != 0 || resource != 0 || time >= 0; }
};

/// One line: pieces joined without separators; `depth` indents links further back.
struct ExplainLine {
    std::vector<ExplainPiece> pieces;
    int depth = 0;
    std::string text() const;
};

/// Everything said about one task.
struct Explanation {
    TaskId task = 0;
    std::vector<ExplainLine> header;     ///< who, when, how it ended
    Breakdown life;                      ///< its own life, spawn to end
    std::vector<ExplainLine> breakdown;  ///< `life` in words
    /// Its longest waits (time order), each a chain: the wait, then its causes.
    std::vector<std::vector<ExplainLine>> chains;
    std::vector<PathSegment> path;  ///< its critical path
    Breakdown path_breakdown;
    std::vector<ExplainLine> path_summary;  ///< `path_breakdown` in words
    std::vector<ExplainLine> path_lines;    ///< the path in words (capped)
};

struct ExplainOptions {
    std::size_t waits = 3;        ///< longest waits explained
    int depth = 3;                ///< links in a chain (the wait itself counts)
    std::size_t path_lines = 30;  ///< path segments listed (the latest ones)
};

/// The chain explaining the span `span` (an index into the task's spans; a waiting
/// or idle one) of `task`: at most `depth` lines, the first about the span itself.
std::vector<ExplainLine> explain_wait(const RunModel& model, TaskId task, std::size_t span,
                                      int depth = 3);

/// Why the queued span `span` of `task` waited to be polled: which queue held it, how
/// long a worker sat idle meanwhile (the scheduler's fault) and where it ran next. One
/// line; empty when the span is not a queued one.
std::vector<ExplainLine> explain_queued(const RunModel& model, const WorkerIdle& idle, TaskId task,
                                        std::size_t span);

/// The explanation of `task` (a finished model; unknown task: empty).
Explanation explain_task(const RunModel& model, const WorkerIdle& idle, TaskId task,
                         const ExplainOptions& options = {});

/// The breakdown in words: "running 1.2 ms (10%) · queued with an idle worker ...".
std::vector<ExplainLine> describe(const RunModel& model, const Breakdown& b);

/// The explanation as plain text (spindle-run --explain), lines ending in '\n'.
std::string to_text(const Explanation& e);

}  // namespace spindle::view
