#pragma once
// Reading a trace with its decoding on a second thread: stream_trace_read_ahead
// decodes (bytes, varints, CRC, run checks) on a helper thread while the calling
// thread hands the events to the sink, so a slow sink (the view model) and the
// decoder overlap.
//
// State: per call, a helper thread that runs stream_trace into batches of a few
// thousand events, and a queue of at most a few batches between the two threads
// (memory stays a few MB whatever the trace's length). Batches are recycled. The
// helper thread never touches the sink; it is joined before the call returns,
// also when the sink throws.

#include <filesystem>

#include "spindle/instrument/trace_file.h"

namespace spindle {

/// stream_trace(path, sink, options) with the decoding on a helper thread. The sink
/// and options.progress are called on the calling thread: progress after each batch
/// of events handed on, so `bytes` is how much of the file is in the sink. Errors,
/// `events` and the end of a complete read (progress with bytes == total) are as
/// stream_trace's; cancel is seen after each batch (at most kReadAheadBatch events
/// more). If the sink throws, decoding stops and the exception propagates.
TraceStreamResult stream_trace_read_ahead(const std::filesystem::path& path, EventSink& sink,
                                          const TraceStreamOptions& options = {});

/// Events per batch handed from the decoding thread to the calling one.
inline constexpr std::size_t kReadAheadBatch = 4096;

}  // namespace spindle
