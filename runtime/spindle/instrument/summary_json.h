#pragma once
// The run summary as a JSON document: the key contract other tools check (listed at
// the top of summary_json.cpp), built from a RunSummary and an optional deadlock report.
//
// No state: a pure function. Anyone may call it once the summary has been fed (usually
// finished); spindle-run writes it for --summary-json. nlohmann stays inside the .cpp.

#include <string>
#include <string_view>

#include "spindle/instrument/run_summary.h"

namespace spindle {

struct DeadlockReport;

/// The summary as a JSON document (key contract at the top of summary_json.cpp): run
/// fields (the core worker count is `worker_count`), arrays `tasks`, `channels`,
/// `resources`, `workers`, then `deadlock` (null unless given) and `errors`. `indent` < 0 gives one
/// compact line. Text that is not valid UTF-8 is replaced (U+FFFD), never rejected.
std::string to_json(const RunSummary& summary, const DeadlockReport* deadlock,
                    std::string_view scenario, int indent = 2);

}  // namespace spindle
