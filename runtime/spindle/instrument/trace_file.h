#pragma once
// Native binary trace files (.spt): writing, reading and replaying a run's events.
//
// State: a TraceWriter owns its encoder state (previous seq/time, which text ids
// are defined, running CRC, buffered bytes) and either owns a file stream or
// borrows an std::ostream that must outlive it; it is touched only through the
// EventSink calls (the run's driving thread). The readers keep no state between
// calls: stream_trace decodes a file chunk by chunk straight into a sink (holding
// one chunk and the text table), and read_trace collects the same stream into a
// whole Trace. The byte layout is specified in docs/trace-format.md.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spindle/instrument/sink.h"

namespace spindle {

/// The format version this code writes; the reader accepts exactly this version.
inline constexpr std::uint16_t kTraceFormatVersion = 1;
/// Longest text a trace may hold, in bytes.
inline constexpr std::uint32_t kMaxTraceTextBytes = 1u << 24;
/// A string definition's id must be below kTraceTextIdSlack + 2 * (definitions so far,
/// counting it): keeps a reader's text table proportional to the file.
inline constexpr std::uint32_t kTraceTextIdSlack = 1u << 16;

/// A whole run as read from a trace file.
struct Trace {
    std::vector<Event> events;
    /// The string table indexed by TextId; entry 0 is "" and ids never defined are "".
    std::vector<std::string> texts{std::string()};

    /// The text with this id ("" for 0 or an unknown id).
    std::string_view text(TextId id) const {
        return id < texts.size() ? std::string_view(texts[id]) : std::string_view();
    }
};

/// Why a trace could not be read.
struct TraceError {
    enum class Code : std::uint8_t {
        io_error,             ///< the file could not be opened or read
        bad_magic,            ///< not a Spindle trace
        unsupported_version,  ///< a Spindle trace of a version this reader does not know
        truncated,            ///< the data ends before the footer: an incomplete file
        corrupt,              ///< malformed content (after a checksum that matched, or none)
        checksum_mismatch,    ///< the footer's CRC-32 does not match the content
        too_large,            ///< more events than the caller accepts (max_events)
    };
    Code code = Code::corrupt;
    std::uint64_t offset = 0;  ///< byte offset where the problem was detected
    std::string message;
};

/// Stable name of an error code ("truncated", ...).
std::string_view to_string(TraceError::Code code);

/// Either a Trace or a TraceError, never both.
struct TraceReadResult {
    std::optional<Trace> trace;
    std::optional<TraceError> error;

    explicit operator bool() const { return trace.has_value(); }
};

/// Largest trace file a reader accepts, in bytes (a run's viewer model needs several
/// times the file's size; the cap keeps a stray huge file from exhausting memory).
inline constexpr std::uint64_t kMaxTraceFileBytes = std::uint64_t{1} << 30;

/// No limit on the number of events (the default of the readers' max_events).
inline constexpr std::uint64_t kAnyEventCount = ~std::uint64_t{0};

/// What a reader checks besides the byte format.
enum class TraceChecks : std::uint8_t {
    run,     ///< also that every event could come from a run (ids, enums, times: EventBounds)
    format,  ///< the byte format only: fields may hold any value (format tests, dump tools)
};

/// Reads a trace file. Refuses what is not a regular file (a FIFO, a device) and
/// files larger than kMaxTraceFileBytes without reading them.
TraceReadResult read_trace(const std::filesystem::path& path, TraceChecks checks = TraceChecks::run,
                           std::uint64_t max_events = kAnyEventCount);
/// Reads a trace from a stream, to its end or kMaxTraceFileBytes; stops after the
/// header when it is not a trace.
TraceReadResult read_trace(std::istream& in, TraceChecks checks = TraceChecks::run,
                           std::uint64_t max_events = kAnyEventCount);
/// Decodes an in-memory trace image.
/// `max_events`: a trace with more events is refused as too_large when its first
/// extra event is reached, before it is held (a viewer passes what its model can hold).
TraceReadResult read_trace_bytes(std::string_view bytes, TraceChecks checks = TraceChecks::run,
                                 std::uint64_t max_events = kAnyEventCount);

/// How far a streaming read has come.
struct TraceReadProgress {
    std::uint64_t bytes = 0;   ///< input bytes decoded so far
    std::uint64_t total = 0;   ///< the input's size (0 when unknown: a stream)
    std::uint64_t events = 0;  ///< events handed to the sink so far
};

/// What stream_trace checks, when it stops, and whom it tells how far it got.
struct TraceStreamOptions {
    TraceChecks checks = TraceChecks::run;
    std::uint64_t max_events = kAnyEventCount;  ///< as read_trace's
    /// Set from another thread: the read stops within a few thousand events.
    const std::atomic<bool>* cancel = nullptr;
    /// Called on the reading thread after each chunk read, with `bytes` never going
    /// back; on success once more at the end with bytes == total.
    std::function<void(const TraceReadProgress&)> progress;
    /// Bytes read from the input at a time (tests use a few, to split every record).
    std::size_t read_chunk = std::size_t{256} << 10;
};

/// How a streaming read ended: a whole valid trace, an error, or cancelled.
struct TraceStreamResult {
    std::optional<TraceError> error;  ///< the input is not a valid trace (as read_trace says)
    bool cancelled = false;           ///< stopped by `cancel`; the rest was not checked
    std::uint64_t events = 0;         ///< events handed to the sink

    /// The whole trace was read and is valid.
    bool ok() const { return !error && !cancelled; }
};

/// Decodes a trace chunk by chunk, handing every event with its text to
/// `sink.on_event` as soon as it is decoded (never on_finish: the caller decides).
/// Memory: one read chunk and the text table, whatever the trace's length. Errors
/// (code, offset, message) are exactly read_trace's. Events reach the sink before the
/// footer's checksum can be checked, so when the result has an error, whatever the
/// sink built from them is not a run and must be discarded. The path form refuses
/// what read_trace(path) refuses and reports the file's size as progress total.
TraceStreamResult stream_trace(const std::filesystem::path& path, EventSink& sink,
                               const TraceStreamOptions& options = {});
/// The same from a stream, to its end or kMaxTraceFileBytes.
TraceStreamResult stream_trace(std::istream& in, EventSink& sink,
                               const TraceStreamOptions& options = {});

/// Feeds a trace to a sink as a live run would: every event in order with its text,
/// then on_finish().
void replay_trace(const Trace& trace, EventSink& sink);

/// Writes the event stream as a binary trace file.
///
/// The header is written on construction, records as events arrive (buffered), the
/// footer on on_finish(). Without on_finish() the file stays incomplete and reads back
/// as `truncated`. Events must have known kinds (< kEventKindCount), texts at most
/// kMaxTraceTextBytes long, and text ids not much sparser than 1,2,3... (see
/// kTraceTextIdSlack); otherwise the writer fails: it stops writing and reports error().
class TraceWriter final : public EventSink {
public:
    /// Creates (truncates) the file at `path`.
    explicit TraceWriter(const std::filesystem::path& path);
    /// Writes to `out`, which must outlive the writer.
    explicit TraceWriter(std::ostream& out);
    ~TraceWriter() override;
    TraceWriter(const TraceWriter&) = delete;
    TraceWriter& operator=(const TraceWriter&) = delete;

    void on_event(const Event& event, std::string_view text) override;
    /// Writes the footer and flushes (closes an owned file). Later calls do nothing.
    void on_finish() override;

    /// False once anything failed (open, write, or an event the format cannot hold).
    bool ok() const { return m_error.empty(); }
    /// What failed first ("" while ok()).
    const std::string& error() const { return m_error; }
    /// Events written so far.
    std::uint64_t event_count() const { return m_events; }
    /// Bytes produced so far (including the still buffered ones).
    std::uint64_t bytes_written() const { return m_bytes; }

private:
    void write_header();
    void append(const void* data, std::size_t size);
    void flush_buffer();
    void fail(std::string message);

    std::unique_ptr<std::ofstream> m_file;  ///< set when constructed from a path
    std::ostream* m_out = nullptr;
    std::string m_buffer;          ///< encoded bytes not yet written to m_out
    std::vector<bool> m_defined;   ///< text ids that have a string definition
    std::uint64_t m_next_seq = 0;  ///< seq the next event is expected to carry
    std::int64_t m_prev_time = 0;
    std::uint64_t m_events = 0;
    std::uint64_t m_strings = 0;
    std::uint64_t m_bytes = 0;
    std::uint32_t m_crc = 0xFFFFFFFFu;  ///< running CRC-32 register over everything produced
    bool m_finished = false;
    std::string m_error;
};

}  // namespace spindle
