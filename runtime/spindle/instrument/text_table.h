#pragma once
// The run summary as readable fixed-width text tables, for people (spindle-run prints
// them after a run).
//
// No state: a pure function. Anyone may call it once the summary has been fed; an
// unfinished summary is marked "(unfinished)".

#include <string>

#include "spindle/instrument/run_summary.h"

namespace spindle {

/// The summary as readable fixed-width tables: a header line, then Tasks, Channels,
/// Resources (when any), Workers and Errors (when any). Durations are milliseconds with
/// three decimals, formatted from integer nanoseconds (no locale, no floating point).
std::string to_text_tables(const RunSummary& summary);

}  // namespace spindle
