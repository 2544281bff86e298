#pragma once
// Human-readable, diff-friendly text form of the event stream: one line per event.
//
// State: TextDump holds the output stream (borrowed, must outlive it) and a copy of
// every text it has seen, by id. It is touched only through the EventSink calls,
// i.e. by the run's driving thread. format_event and the helpers are pure.
//
// Line layout (fields separated by one space, always in this order):
//   [seq] time worker task kind kind-fields... [raw-fields...] [label="text"]
//   e.g. `17 1.000250ms w0 t3 chan_send chan=3 msg=17 len=2`
// See docs/event-schema.md for the fields of every kind.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <unordered_map>

#include "spindle/instrument/sink.h"

namespace spindle {

/// Formatting choices for text dumps.
struct TextDumpOptions {
    /// Print the sequence number first. Golden files that should show an inserted
    /// event as a one-line diff turn this off.
    bool show_seq = true;
};

/// One dump line for `event` (no newline); `text` is the event's text ("" if none).
std::string format_event(const Event& event, std::string_view text,
                         const TextDumpOptions& options = {});

/// `ns` as milliseconds with exactly six decimals ("-1.000250ms"), without floating point.
std::string format_ms(std::int64_t ns);

/// `text` in double quotes; `"`, `\`, and control bytes escaped (\n \r \t \xHH).
/// Bytes >= 0x80 (UTF-8) are copied unchanged.
std::string quote_text(std::string_view text);

/// Writes one format_event line per event to a stream.
class TextDump final : public EventSink {
public:
    /// `out` must outlive the dump.
    explicit TextDump(std::ostream& out, TextDumpOptions options = {});

    void on_event(const Event& event, std::string_view text) override;
    /// Flushes the stream.
    void on_finish() override;

private:
    std::ostream& m_out;
    TextDumpOptions m_options;
    std::unordered_map<TextId, std::string> m_texts;  ///< text by id, as first seen
    std::string m_line;                               ///< reused line buffer
};

}  // namespace spindle
