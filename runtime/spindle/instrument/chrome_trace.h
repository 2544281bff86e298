#pragma once
// Export of a run in the Chrome Trace Event Format (JSON), for Perfetto and
// chrome://tracing.
//
// State: the writer keeps a copy of every event and of every text it receives, and
// either owns the output file or borrows an std::ostream that must outlive it. It is
// touched only through the EventSink calls (the run's driving thread); the JSON is
// produced in one go by on_finish(), because slices need their end events.
//
// Mapping (pid 1 = the run; tid = worker id, kNoWorker = the "runtime" track):
//   process_name       "spindle <run_start configuration>"
//   thread_name        "worker N" / "blocking N" (+ thread_sort_index N)
//   poll_start..end    "X" slice named after the task, args {task, result}
//   task_spawn..end    "b"/"e" async slice, category "task", id = task id
//   task_wake          "s" flow (category/name "wake") from the waking poll, or from a
//                      zero-length "X" marker when no poll is running (timers), to an
//                      "f" (bp "e") at the woken task's next poll_start
//   chan_send/recv     "C" counter named after the channel, args {len}
//   log                "i" instant on the worker's track, named by the message
//   run_start/run_end  global "i" instants
// Polls and tasks still open at the end are closed at the run's last timestamp with
// result/outcome "unfinished". Timestamps are microseconds: ts = time_ns / 1000.0.

#include <filesystem>
#include <fstream>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "spindle/instrument/sink.h"

namespace spindle {

/// Writes the run as Chrome Trace Event Format JSON when the run finishes.
class ChromeTraceWriter final : public EventSink {
public:
    /// Creates (truncates) the file at `path`.
    explicit ChromeTraceWriter(const std::filesystem::path& path);
    /// Writes to `out`, which must outlive the writer.
    explicit ChromeTraceWriter(std::ostream& out);
    ~ChromeTraceWriter() override;
    ChromeTraceWriter(const ChromeTraceWriter&) = delete;
    ChromeTraceWriter& operator=(const ChromeTraceWriter&) = delete;

    void on_event(const Event& event, std::string_view text) override;
    /// Converts and writes everything received; later calls do nothing.
    void on_finish() override;

    /// False if the output could not be opened or written.
    bool ok() const { return m_error.empty(); }
    /// What failed first ("" while ok()).
    const std::string& error() const { return m_error; }

private:
    std::unique_ptr<std::ofstream> m_file;  ///< set when constructed from a path
    std::ostream* m_out = nullptr;
    std::vector<Event> m_events;
    std::unordered_map<TextId, std::string> m_texts;  ///< text by id, as first seen
    bool m_finished = false;
    std::string m_error;
};

}  // namespace spindle
