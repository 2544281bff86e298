#pragma once
// Writing a recorded run out: the run's native trace copied as it is, or converted
// to Chrome Trace Event JSON. The window's Save Trace and Export Chrome Trace use it.
//
// No state. Each call reads the trace file and writes the target through an
// AtomicFile, so a target is either complete or untouched (an existing file
// survives a failed write, and no temporary is left behind). Any thread; the
// trace must not be written to while it is read.

#include <filesystem>
#include <string>

#include "temp_file.h"

namespace spindle::session {

/// Copies the recorded trace to `to`. Returns "" on success, else why it failed.
std::string save_trace_copy(const TempFile& trace, const std::filesystem::path& to);
/// Streams the recorded trace into `to` as Chrome Trace Event JSON (memory does not
/// grow with the run; a bad trace leaves `to` untouched).
/// Returns "" on success, else why it failed.
std::string save_chrome_trace(const TempFile& trace, const std::filesystem::path& to);

}  // namespace spindle::session
