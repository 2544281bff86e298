#pragma once
// Export of a run in the Chrome Trace Event Format (JSON), for Perfetto,
// chrome://tracing and the DevTools performance panel.
//
// Streaming: each event is converted as it arrives and written in 64 KiB pieces,
// so memory does not grow with the run's length — only with its tasks, workers and
// channels (names, what each task is doing, wakes not yet delivered). State is
// touched only through the EventSink calls (the run's driving thread). The writer
// owns its output file, or borrows an std::ostream that must outlive it.
//
// Mapping (pid 1 = the run; tid = worker id, kNoWorker = the "runtime" track):
//   process_name       "spindle <run_start configuration>", first in the file
//   thread_name        "worker N" / "blocking N" (+ thread_sort_index N), as each
//                      track is first used
//   poll_start..end    "X" slice named after the task, category "sched", args
//                      {task, result}, written when the poll ends; what happened
//                      during the poll on its track follows it in the file (one
//                      poll's records are held back: still constant memory). Not
//                      B/E pairs: the DevTools engine matches those on one stack
//                      across all threads, so concurrent workers' pairs mismatch.
//   task_spawn..end    "b"/"e" async slice (category "task", id = task id) named
//                      after the task, with nested async slices for what it does:
//                      "queued", "running", "waiting: recv jobs" (or "idle")
//   task_wake          a thread instant ("I") "wake <task>" (category "sched") where the
//                      wake happens — inside the waking poll, or on the runtime
//                      track for timers — and an "s" flow bound to it (same ts,
//                      tid and category), ending with an "f" (bp "e") bound to the
//                      woken task's next poll (or to an instant "woken" 1 ns into
//                      it when the wake happened at the poll's start time: the
//                      DevTools engine drops a flow whose two ends share a
//                      timestamp). Perfetto binds by enclosing slice,
//                      the DevTools trace engine by equal (ts, pid, tid, cat): both
//                      link every wake that was followed by a poll.
//   chan_send/recv     "C" counter named after the channel, args {len}
//   log                thread instant on the worker's track, named by the message
//   run_start/run_end  global instants
// Instants are written with phase "I" (the older spelling of "i"): Perfetto and
// chrome://tracing read both, the DevTools trace engine only "I".
// Polls and tasks still open at the end are closed at the run's last timestamp with
// result/outcome "unfinished".
// A range (set_range) writes only FROM..TO of the run, for runs too long for JSON
// readers: before FROM the writer follows the run without writing (metadata
// aside); at FROM it opens what is open then — each live task's span and state,
// each channel's length — polls open then start at FROM, wakes from before it get
// no flow; after TO it closes everything at TO (result/outcome "cut") and writes
// nothing more. Timestamps are microseconds with nanosecond
// decimals (ts = time_ns / 1000, printed exactly).

#include <cstdint>
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

/// Writes the run as Chrome Trace Event Format JSON while it runs.
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
    /// Closes what is open and ends the JSON document; later calls do nothing.
    void on_finish() override;

    /// Writes only what happens from `from_ns` to `to_ns` (virtual ns, inclusive).
    /// Call before the first event.
    void set_range(std::int64_t from_ns, std::int64_t to_ns);

    /// False if the output could not be opened or written.
    bool ok() const { return m_error.empty(); }
    /// What failed first ("" while ok()).
    const std::string& error() const { return m_error; }
    /// Approximate heap bytes held (for the memory benchmark): bounded by the
    /// run's tasks, tracks and channels, not its length.
    std::size_t memory_bytes() const;

private:
    struct Flow;
    struct TaskState;
    struct Track;

    void convert(const Event& e, std::string_view text);
    TaskState& task(TaskId id);
    Track& track(WorkerId w);
    std::string_view task_name(TaskId id);
    std::string_view channel_name(ResourceId id);
    /// A wait as a state's detail: "recv jobs", "join worker 2", "sleep".
    std::string wait_text(WaitOp op, ResourceId resource);
    /// Writes a flow's end ("f", bound to the enclosing slice) at `at` on track `w`.
    void write_flow_end(const Flow& f, std::int64_t at, WorkerId w);
    /// Closes the task's open state span (if any) and opens `state` ("" opens none).
    void set_state(TaskId id, std::int64_t ns, std::string_view state, std::string_view detail);
    void close_poll(WorkerId w, std::int64_t ns, std::string_view result);
    /// Closes every open poll, state and task span at `ns`, in id order.
    void close_all(std::int64_t ns, std::string_view word);
    /// Entering the range at its start: opens what is open at that time.
    void enter_range();

    // JSON output: one record per call, comma-separated, buffered.
    void open_record(std::string_view ph, std::string_view name, std::int64_t ns, WorkerId tid);
    void field(std::string_view key, std::string_view value);
    void field(std::string_view key, std::uint64_t value);
    void close_record();
    void process_name();
    void flush(bool force);

    std::unique_ptr<std::ofstream> m_file;  ///< set when constructed from a path
    std::ostream* m_out = nullptr;
    std::string m_buf;       ///< JSON not yet written to m_out
    bool m_started = false;  ///< the document's head is written
    bool m_finished = false;
    std::string m_error;

    std::int64_t m_last_ns = 0;
    std::string m_config;
    std::unordered_map<TaskId, TaskState> m_tasks;
    std::unordered_map<WorkerId, Track> m_tracks;
    std::unordered_map<ResourceId, std::string> m_channels;
    std::unordered_map<std::string, ResourceId> m_channel_owner;  ///< name -> first channel
    std::uint64_t m_flows = 0;

    // The range (set_range): while m_muted, records other than metadata are dropped
    // as they are closed (close_record cuts them back to m_record_start).
    bool m_ranged = false;
    std::int64_t m_from = 0, m_to = 0;
    bool m_muted = false;
    bool m_past_range = false;  ///< after TO: everything is closed, nothing more is written
    bool m_skip_record = false;
    std::size_t m_record_start = 0;
    std::unordered_map<ResourceId, std::uint32_t> m_channel_len;  ///< only when ranged
};

}  // namespace spindle
