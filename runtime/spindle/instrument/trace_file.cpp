// Binary trace encoder/decoder; the layout is specified in docs/trace-format.md.
//
// State: TraceWriter's encoder state (see trace_file.h). The reader (Decoder) decodes
// from an in-memory image or from a stream through a window of one read chunk (plus
// the record being decoded), keeping a running CRC of the bytes that left the window;
// it keeps nothing between calls. Every length read from a file is checked against
// what the input can still hold before anything is allocated for it.

#include "spindle/instrument/trace_file.h"

#include "spindle/instrument/event_bounds.h"

#include <array>
#include <cstring>
#include <istream>
#include <ostream>
#include <utility>

namespace spindle {

namespace {

constexpr std::array<unsigned char, 8> kMagic = {0x89, 'S', 'P', 'N', 'D', 'L', '\r', '\n'};
constexpr std::array<unsigned char, 4> kEndMagic = {'S', 'P', 'N', 0xFF};
constexpr std::size_t kHeaderSize = kMagic.size() + 2;
/// tag + event count + string count + crc + end magic
constexpr std::size_t kFooterSize = 1 + 8 + 8 + 4 + kEndMagic.size();
constexpr unsigned char kTagString = 0x80;
constexpr unsigned char kTagFooter = 0x81;
constexpr std::size_t kWriteChunk = 64 * 1024;

// Event record flag bits: which optional fields follow.
constexpr unsigned kHasDetail = 1u << 0;
constexpr unsigned kHasWorker = 1u << 1;
constexpr unsigned kHasTask = 1u << 2;
constexpr unsigned kHasObject = 1u << 3;
constexpr unsigned kHasCount = 1u << 4;
constexpr unsigned kHasText = 1u << 5;
constexpr unsigned kHasArg = 1u << 6;
constexpr unsigned kHasSeqJump = 1u << 7;

// ---- CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) ----

/// Slicing-by-8 tables: [0] is the classic byte table; [k][i] is the CRC of byte i
/// followed by k zero bytes, so eight bytes are folded per step.
constexpr std::array<std::array<std::uint32_t, 256>, 8> make_crc_tables() {
    std::array<std::array<std::uint32_t, 256>, 8> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        t[0][i] = c;
    }
    for (std::size_t k = 1; k < 8; ++k)
        for (std::uint32_t i = 0; i < 256; ++i)
            t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
    return t;
}
constexpr auto kCrcTables = make_crc_tables();

/// Continues a CRC over more bytes; `state` starts at 0xFFFFFFFF, the result is ~state.
std::uint32_t crc_update(std::uint32_t state, const unsigned char* data, std::size_t size) {
    const auto& t = kCrcTables;
    for (; size >= 8; size -= 8, data += 8) {
        const std::uint32_t lo =
            state ^
            (static_cast<std::uint32_t>(data[0]) | static_cast<std::uint32_t>(data[1]) << 8 |
             static_cast<std::uint32_t>(data[2]) << 16 | static_cast<std::uint32_t>(data[3]) << 24);
        state = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^
                t[4][lo >> 24] ^ t[3][data[4]] ^ t[2][data[5]] ^ t[1][data[6]] ^ t[0][data[7]];
    }
    for (std::size_t i = 0; i < size; ++i)
        state = t[0][(state ^ data[i]) & 0xFF] ^ (state >> 8);
    return state;
}

// ---- integer encodings ----

std::uint64_t zigzag(std::uint64_t wrapped_delta) {
    const auto s = static_cast<std::int64_t>(wrapped_delta);
    return (static_cast<std::uint64_t>(s) << 1) ^ static_cast<std::uint64_t>(s >> 63);
}

std::uint64_t unzigzag(std::uint64_t v) {
    return (v >> 1) ^ (0 - (v & 1));
}

/// Small encoding buffer for one record (an event record is at most 56 bytes).
struct RecordBuf {
    unsigned char bytes[64];
    std::size_t size = 0;

    void byte(unsigned v) { bytes[size++] = static_cast<unsigned char>(v); }
    void varint(std::uint64_t v) {
        while (v >= 0x80) {
            byte(static_cast<unsigned>(v & 0x7F) | 0x80);
            v >>= 7;
        }
        byte(static_cast<unsigned>(v));
    }
    void fixed(std::uint64_t v, int width) {
        for (int i = 0; i < width; ++i)
            byte(static_cast<unsigned>(v >> (8 * i)) & 0xFF);
    }
};

// ---- decoding ----

/// Consumed bytes kept in front of the window when it moves on: the CRC never runs into
/// the last 8 bytes of the input before its end is known (they may be CRC and end marker).
constexpr std::size_t kKeptBehind = 8;
/// The sink is asked about cancel this often (events).
constexpr std::uint64_t kCancelEvery = 4096;

/// A decoding failure: the data ran out, it is malformed, or the input failed (`io`).
struct Failure {
    bool out_of_data = false;
    std::uint64_t offset = 0;
    std::string message;
    bool io = false;
};

/// What a read found after a failure: the input's size, its last (up to) 8 bytes, and the
/// CRC register over everything before those 8.
struct Ending {
    std::uint64_t size = 0;
    std::array<unsigned char, 8> last{};
    std::size_t last_size = 0;
    std::uint32_t crc_state = 0xFFFFFFFFu;
};

/// Reads the format's primitives from an in-memory image or, chunk by chunk, from a
/// stream. The window m_data holds the bytes from absolute offset m_base on; m_pos is
/// the read position in it. A running CRC covers [0, m_crc_pos).
class Decoder {
public:
    explicit Decoder(std::string_view image) : m_data(image), m_eof(true) {}
    Decoder(std::istream& in, std::uint64_t total, const TraceStreamOptions& options)
        : m_in(&in),
          m_total(total),
          m_chunk(std::max<std::size_t>(1, options.read_chunk)),
          m_options(&options) {}

    /// Absolute offset of the next byte.
    std::uint64_t pos() const { return m_base + m_pos; }

    unsigned char byte(const char* what) {
        need(1, what);
        return static_cast<unsigned char>(m_data[m_pos++]);
    }

    std::uint64_t fixed(int width, const char* what) {
        need(static_cast<std::size_t>(width), what);
        std::uint64_t v = 0;
        for (int i = 0; i < width; ++i) {
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(m_data[m_pos + i]))
                 << (8 * i);
        }
        m_pos += static_cast<std::size_t>(width);
        return v;
    }

    /// Unsigned LEB128, canonical (no overlong forms), at most 10 bytes.
    std::uint64_t varint(const char* what) {
        // Fast path (nearly every varint): one byte, or all ten possible bytes at hand.
        if (m_pos < m_data.size()) [[likely]] {
            const auto first = static_cast<unsigned char>(m_data[m_pos]);
            if (first < 0x80) {
                ++m_pos;
                return first;
            }
            if (m_data.size() - m_pos >= 10) return varint_at_hand(what);
        }
        const std::uint64_t start = pos();
        std::uint64_t value = 0;
        for (int i = 0; i < 10; ++i) {
            const unsigned char b = byte(what);
            if (i == 9 && b > 1) invalid(start, std::string(what) + ": varint overflows 64 bits");
            value |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) invalid(start, std::string(what) + ": overlong varint");
                return value;
            }
        }
        return value;  // unreachable: the 10th byte either ends the varint or overflows
    }

    /// varint() when ten bytes are in the window: the same checks, no refills.
    std::uint64_t varint_at_hand(const char* what) {
        const auto* p = reinterpret_cast<const unsigned char*>(m_data.data()) + m_pos;
        std::uint64_t value = 0;
        for (int i = 0; i < 10; ++i) {
            const unsigned char b = p[i];
            if (i == 9 && b > 1) invalid(pos(), std::string(what) + ": varint overflows 64 bits");
            value |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) invalid(pos(), std::string(what) + ": overlong varint");
                m_pos += static_cast<std::size_t>(i) + 1;
                return value;
            }
        }
        return value;  // unreachable, as in varint()
    }

    /// A varint that must fit `max` and differ from `absent` (its flag says it is present).
    std::uint64_t field(const char* what, std::uint64_t max, std::uint64_t absent) {
        const std::uint64_t start = pos();
        const std::uint64_t v = varint(what);
        if (v > max) invalid(start, std::string(what) + " out of range");
        if (v == absent) invalid(start, std::string(what) + " flagged present but has its default");
        return v;
    }

    /// `size` bytes; the view is valid until the next read.
    std::string_view bytes(std::size_t size, const char* what) {
        need(size, what);
        const auto out = m_data.substr(m_pos, size);
        m_pos += size;
        return out;
    }

    /// The first min(available, n) bytes from the current position, reading until
    /// there are n or the input ends (for the header).
    std::string_view peek(std::size_t n) {
        fill(n);
        return m_data.substr(m_pos, std::min(n, m_data.size() - m_pos));
    }

    /// True when no byte follows the position.
    bool at_end() { return !fill(1); }

    /// The CRC-32 of the input's bytes before absolute offset `end` (within the window).
    std::uint32_t crc_before(std::uint64_t end) {
        crc_to(end);
        return ~m_crc;
    }

    /// Reads to the end of the input (after a failure), for the end-marker check.
    Ending ending() {
        Ending e;
        e.crc_state = m_crc;
        auto feed = [&e](const unsigned char* p, std::size_t n) {
            // Keep the last 8 bytes aside; everything before them goes into the CRC.
            if (e.last_size + n <= e.last.size()) {
                std::memcpy(e.last.data() + e.last_size, p, n);
                e.last_size += n;
                return;
            }
            const std::size_t total = e.last_size + n;
            const std::size_t out = total - e.last.size();  // bytes leaving the tail
            const std::size_t from_last = std::min(out, e.last_size);
            e.crc_state = crc_update(e.crc_state, e.last.data(), from_last);
            e.crc_state = crc_update(e.crc_state, p, out - from_last);
            std::array<unsigned char, 8> keep{};
            std::size_t k = 0;
            for (std::size_t i = from_last; i < e.last_size; ++i)
                keep[k++] = e.last[i];
            std::memcpy(keep.data() + k, p + (out - from_last), n - (out - from_last));
            e.last = keep;
            e.last_size = e.last.size();
        };
        const auto* window = reinterpret_cast<const unsigned char*>(m_data.data());
        const auto from = static_cast<std::size_t>(m_crc_pos - m_base);
        feed(window + from, m_data.size() - from);
        e.size = m_base + m_data.size();
        while (m_in && !m_eof) {  // the decoder is spent: the window is reused for the rest
            m_data = {};
            m_buf.clear();
            const std::size_t got = read_more(m_chunk);
            feed(reinterpret_cast<const unsigned char*>(m_buf.data()), got);
            e.size += got;
        }
        return e;
    }

    [[noreturn]] void invalid(std::uint64_t offset, std::string message) const {
        throw Failure{false, offset, std::move(message)};
    }

    /// Counts an event handed on (for progress reports).
    void count_event() { ++m_events; }

private:
    void need(std::size_t size, const char* what) {
        if (m_data.size() - m_pos < size && !fill(size)) {
            throw Failure{true, m_base + m_data.size(), std::string("data ends inside ") + what};
        }
    }

    void crc_to(std::uint64_t end) {
        if (end <= m_crc_pos) return;
        const auto* p = reinterpret_cast<const unsigned char*>(m_data.data());
        m_crc =
            crc_update(m_crc, p + (m_crc_pos - m_base), static_cast<std::size_t>(end - m_crc_pos));
        m_crc_pos = end;
    }

    /// Appends up to `want` bytes from the stream to m_buf; returns how many came.
    std::size_t read_more(std::size_t want) {
        const std::size_t old = m_buf.size();
        m_buf.resize(old + want);
        m_in->read(m_buf.data() + old, static_cast<std::streamsize>(want));
        const auto got = static_cast<std::size_t>(m_in->gcount());
        m_buf.resize(old + got);
        m_read += got;
        if (!*m_in) {
            if (m_in->bad()) throw Failure{false, m_read, "read error", true};
            m_eof = true;
        }
        if (m_read > kMaxTraceFileBytes)
            throw Failure{false, m_read,
                          "larger than the " + std::to_string(kMaxTraceFileBytes >> 20) +
                              " MiB a trace may have",
                          true};
        return got;
    }

    /// Makes `size` bytes available from the position, reading on; false when the input
    /// ends first. Bytes consumed (but the last kKeptBehind) leave the window, into the CRC.
    bool fill(std::size_t size) {
        if (m_data.size() - m_pos >= size) return true;
        if (!m_in || m_eof) return false;
        const std::size_t drop = m_pos - std::min(m_pos, kKeptBehind);
        crc_to(m_base + drop);
        m_buf.erase(0, drop);
        m_base += drop;
        m_pos -= drop;
        do {
            // The first read is the header alone: anything else (/dev/zero, a text file)
            // is turned away by its magic without reading further.
            read_more(m_read == 0 ? kHeaderSize : m_chunk);  // grows only as bytes come
        } while (m_buf.size() - m_pos < size && !m_eof);
        m_data = m_buf;
        if (m_options && m_options->progress)
            m_options->progress(TraceReadProgress{pos(), m_total, m_events});
        return m_data.size() - m_pos >= size;
    }

    std::istream* m_in = nullptr;
    std::string m_buf;  ///< the window's storage when reading a stream
    std::string_view m_data;
    std::size_t m_pos = 0;
    std::uint64_t m_base = 0;
    std::uint64_t m_read = 0;  ///< bytes read from the stream
    std::uint64_t m_total = 0;
    std::size_t m_chunk = 0;
    bool m_eof = false;
    const TraceStreamOptions* m_options = nullptr;
    std::uint32_t m_crc = 0xFFFFFFFFu;
    std::uint64_t m_crc_pos = 0;
    std::uint64_t m_events = 0;
};

TraceError error(TraceError::Code code, std::uint64_t offset, std::string message) {
    return TraceError{code, offset, std::move(message)};
}

TraceReadResult failed(TraceError::Code code, std::uint64_t offset, std::string message) {
    TraceReadResult r;
    r.error = error(code, offset, std::move(message));
    return r;
}

/// Checks the header: the magic over the bytes there are, then the size, then the version.
std::optional<TraceError> check_header(Decoder& in) {
    using Code = TraceError::Code;
    const std::string_view head = in.peek(kHeaderSize);
    const std::size_t magic_len = std::min(head.size(), kMagic.size());
    for (std::size_t i = 0; i < magic_len; ++i) {
        if (static_cast<unsigned char>(head[i]) != kMagic[i])
            return error(Code::bad_magic, i, "not a Spindle trace file");
    }
    if (head.size() < kHeaderSize)
        return error(Code::truncated, head.size(), "data ends inside header");
    const unsigned version = static_cast<unsigned char>(head[8]) |
                             (static_cast<unsigned>(static_cast<unsigned char>(head[9])) << 8);
    if (version != kTraceFormatVersion) {
        return error(Code::unsupported_version, 8,
                     "trace format version " + std::to_string(version) + ", this reader reads " +
                         std::to_string(kTraceFormatVersion));
    }
    return std::nullopt;
}

/// Decodes everything after the (already checked) header into `sink`. Throws Failure
/// when decoding fails; returns the error the footer (or max_events) finds, if any.
std::optional<TraceError> decode_records(Decoder& in, EventSink& sink,
                                         const TraceStreamOptions& options,
                                         std::vector<std::string>& texts,
                                         TraceStreamResult& result) {
    using Code = TraceError::Code;
    in.bytes(kHeaderSize, "header");
    std::vector<bool> defined;
    std::uint64_t strings = 0;
    std::uint64_t events = 0;
    std::uint64_t next_seq = 0;
    std::int64_t prev_time = 0;
    EventBounds bounds;  // a file that decodes must still be a stream a run could write

    for (;;) {
        const std::uint64_t record = in.pos();
        const unsigned char tag = in.byte("record tag");
        if (tag == kTagFooter) break;
        if (tag == kTagString) {
            const std::uint64_t id_at = in.pos();
            const std::uint64_t id = in.field("string id", 0xFFFFFFFFu, 0);
            ++strings;
            if (id >= kTraceTextIdSlack + 2 * strings) {
                in.invalid(id_at, "string id " + std::to_string(id) + " too sparse");
            }
            if (id < defined.size() && defined[id]) {
                in.invalid(id_at, "string id " + std::to_string(id) + " defined twice");
            }
            const std::uint64_t len_at = in.pos();
            const std::uint64_t len = in.varint("string length");
            if (len > kMaxTraceTextBytes) in.invalid(len_at, "string longer than the maximum");
            const std::string_view text = in.bytes(static_cast<std::size_t>(len), "string");
            if (id >= defined.size()) {
                defined.resize(id + 1);
                texts.resize(id + 1);
            }
            defined[id] = true;
            texts[id] = std::string(text);
            continue;
        }
        if (tag >= kEventKindCount) {
            in.invalid(record, tag < kTagString ? "unknown event kind " + std::to_string(tag)
                                                : "unknown record tag " + std::to_string(tag));
        }
        if (events >= options.max_events) {
            return error(Code::too_large, record,
                         "more than the " + std::to_string(options.max_events) +
                             " events this reader holds");
        }
        Event e;
        e.kind = static_cast<EventKind>(tag);
        const unsigned flags = in.byte("event flags");
        const std::uint64_t dt = unzigzag(in.varint("time delta"));
        e.time_ns = static_cast<std::int64_t>(static_cast<std::uint64_t>(prev_time) + dt);
        e.seq = next_seq;
        if (flags & kHasSeqJump) {
            const std::uint64_t at = in.pos();
            const std::uint64_t jump = in.varint("seq jump");
            if (jump == 0) in.invalid(at, "seq jump flagged present but zero");
            e.seq = next_seq + unzigzag(jump);
        }
        if (flags & kHasDetail) {
            const std::uint64_t at = in.pos();
            e.detail = in.byte("detail");
            if (e.detail == 0) in.invalid(at, "detail flagged present but zero");
        }
        if (flags & kHasWorker)
            e.worker = static_cast<WorkerId>(in.field("worker", 0xFFFF, kNoWorker));
        if (flags & kHasTask) e.task = static_cast<TaskId>(in.field("task", 0xFFFFFFFFu, 0));
        if (flags & kHasObject)
            e.object = static_cast<std::uint32_t>(in.field("object", 0xFFFFFFFFu, 0));
        if (flags & kHasCount)
            e.count = static_cast<std::uint32_t>(in.field("count", 0xFFFFFFFFu, 0));
        if (flags & kHasText) {
            const std::uint64_t at = in.pos();
            e.text = static_cast<TextId>(in.field("text id", 0xFFFFFFFFu, 0));
            if (e.text >= defined.size() || !defined[e.text]) {
                in.invalid(at, "text id " + std::to_string(e.text) + " used before its definition");
            }
        }
        if (flags & kHasArg) e.arg = in.field("arg", ~std::uint64_t{0}, 0);
        if (auto impossible = options.checks == TraceChecks::run ? bounds.check(e) : std::nullopt) {
            in.invalid(record, "event " + std::to_string(events) + " (" +
                                   std::string(to_string(e.kind)) + "): " + *impossible);
        }
        prev_time = e.time_ns;
        next_seq = e.seq + 1;
        sink.on_event(e, e.text != 0 ? std::string_view(texts[e.text]) : std::string_view());
        result.events = ++events;
        in.count_event();
        if (events % kCancelEvery == 0 && options.cancel &&
            options.cancel->load(std::memory_order_relaxed)) {
            result.cancelled = true;
            return std::nullopt;
        }
    }

    // Footer (the tag has been read).
    const std::uint64_t counts_at = in.pos();
    const std::uint64_t footer_events = in.fixed(8, "footer");
    const std::uint64_t defs = in.fixed(8, "footer");
    const std::uint64_t crc_at = in.pos();
    const auto stored_crc = static_cast<std::uint32_t>(in.fixed(4, "footer"));
    const std::uint64_t end_at = in.pos();
    const std::string_view end_view = in.bytes(kEndMagic.size(), "footer");
    const bool end_ok = std::memcmp(end_view.data(), kEndMagic.data(), kEndMagic.size()) == 0;
    // Only now, with the whole footer there: a failure before must find the CRC register
    // short of the last 8 bytes (see Decoder::ending).
    const std::uint32_t content_crc = in.crc_before(crc_at);

    if (content_crc != stored_crc)
        return error(Code::checksum_mismatch, crc_at,
                     "CRC-32 of the content does not match the footer");
    if (!end_ok) return error(Code::corrupt, end_at, "bad end marker");
    if (footer_events != events || defs != strings)
        return error(Code::corrupt, counts_at, "footer counts do not match the records");
    const std::uint64_t after = in.pos();
    if (!in.at_end()) return error(Code::corrupt, after, "bytes after the footer");
    return std::nullopt;
}

/// Decodes a whole input into `sink`; see stream_trace.
TraceStreamResult decode(Decoder& in, EventSink& sink, const TraceStreamOptions& options,
                         std::vector<std::string>& texts) {
    using Code = TraceError::Code;
    TraceStreamResult result;
    try {
        if ((result.error = check_header(in))) return result;
        result.error = decode_records(in, sink, options, texts, result);
        if (!result.error && !result.cancelled && options.progress) {
            const std::uint64_t at = in.pos();
            options.progress(TraceReadProgress{at, at, result.events});
        }
        return result;
    } catch (const Failure& f) {
        if (f.io) {
            result.error = error(Code::io_error, f.offset, f.message);
            return result;
        }
        // A complete file ends with the end marker; if it is there, the damage is inside and
        // the checksum tells whether the bytes were altered.
        Ending end;
        try {
            end = in.ending();
        } catch (const Failure& io) {
            result.error = error(Code::io_error, io.offset, io.message);
            return result;
        }
        const bool has_trailer =
            end.size >= kHeaderSize + kFooterSize && end.last_size == end.last.size() &&
            std::memcmp(end.last.data() + 4, kEndMagic.data(), kEndMagic.size()) == 0;
        if (has_trailer) {
            std::uint32_t stored = 0;
            for (int i = 0; i < 4; ++i)
                stored |= static_cast<std::uint32_t>(end.last[static_cast<std::size_t>(i)])
                          << (8 * i);
            if (~end.crc_state != stored) {
                result.error = error(Code::checksum_mismatch, end.size - 8,
                                     "CRC-32 does not match (decoding failed at offset " +
                                         std::to_string(f.offset) + ": " + f.message + ")");
                return result;
            }
            result.error = error(Code::corrupt, f.offset, f.message);
            return result;
        }
        result.error = error(f.out_of_data ? Code::truncated : Code::corrupt, f.offset, f.message);
        return result;
    }
}

/// Collects a decoded stream into a Trace.
class Collect final : public EventSink {
public:
    void on_event(const Event& e, std::string_view) override { events.push_back(e); }
    std::vector<Event> events;
};

TraceReadResult collect(Decoder& in, TraceChecks checks, std::uint64_t max_events) {
    TraceStreamOptions options;
    options.checks = checks;
    options.max_events = max_events;
    Collect sink;
    Trace trace;
    const TraceStreamResult r = decode(in, sink, options, trace.texts);
    TraceReadResult out;
    if (r.error) {
        out.error = r.error;
        return out;
    }
    trace.events = std::move(sink.events);
    out.trace = std::move(trace);
    return out;
}

/// Why read_trace(path) does not open `path`, if it does not.
std::optional<TraceError> refuse_path(const std::filesystem::path& path, std::uint64_t& size) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (fs::is_directory(status))
        return error(TraceError::Code::io_error, 0, "is a directory: " + path.string());
    // Opening a FIFO blocks until a writer comes, and a device never ends: only read
    // regular files, and only when their size is within the limit.
    if (fs::exists(status) && !fs::is_regular_file(status))
        return error(TraceError::Code::io_error, 0, "not a regular file: " + path.string());
    if (fs::exists(status)) {
        const std::uintmax_t bytes = fs::file_size(path, ec);
        if (!ec) size = bytes;
        if (!ec && bytes > kMaxTraceFileBytes)
            return error(TraceError::Code::io_error, 0,
                         path.string() + " is " + std::to_string(bytes >> 20) +
                             " MiB, larger than the " + std::to_string(kMaxTraceFileBytes >> 20) +
                             " MiB a trace may have");
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(TraceError::Code code) {
    switch (code) {
        case TraceError::Code::io_error:
            return "io_error";
        case TraceError::Code::bad_magic:
            return "bad_magic";
        case TraceError::Code::unsupported_version:
            return "unsupported_version";
        case TraceError::Code::truncated:
            return "truncated";
        case TraceError::Code::corrupt:
            return "corrupt";
        case TraceError::Code::checksum_mismatch:
            return "checksum_mismatch";
        case TraceError::Code::too_large:
            return "too_large";
    }
    return "?";
}

TraceStreamResult stream_trace(std::istream& in, EventSink& sink,
                               const TraceStreamOptions& options) {
    Decoder decoder(in, 0, options);
    std::vector<std::string> texts{std::string()};
    return decode(decoder, sink, options, texts);
}

TraceStreamResult stream_trace(const std::filesystem::path& path, EventSink& sink,
                               const TraceStreamOptions& options) {
    TraceStreamResult result;
    std::uint64_t size = 0;
    if ((result.error = refuse_path(path, size))) return result;
    std::ifstream file(path, std::ios::binary);
    if (!file.is_open()) {
        result.error = error(TraceError::Code::io_error, 0, "cannot open " + path.string());
        return result;
    }
    Decoder decoder(file, size, options);
    std::vector<std::string> texts{std::string()};
    return decode(decoder, sink, options, texts);
}

TraceReadResult read_trace_bytes(std::string_view data, TraceChecks checks,
                                 std::uint64_t max_events) {
    Decoder in(data);
    return collect(in, checks, max_events);
}

TraceReadResult read_trace(std::istream& in, TraceChecks checks, std::uint64_t max_events) {
    const TraceStreamOptions none;
    Decoder decoder(in, 0, none);
    return collect(decoder, checks, max_events);
}

TraceReadResult read_trace(const std::filesystem::path& path, TraceChecks checks,
                           std::uint64_t max_events) {
    std::uint64_t size = 0;
    if (auto refused = refuse_path(path, size)) {
        TraceReadResult r;
        r.error = std::move(refused);
        return r;
    }
    std::ifstream file(path, std::ios::binary);
    if (!file.is_open())
        return failed(TraceError::Code::io_error, 0, "cannot open " + path.string());
    return read_trace(file, checks, max_events);
}

void replay_trace(const Trace& trace, EventSink& sink) {
    for (const Event& e : trace.events)
        sink.on_event(e, trace.text(e.text));
    sink.on_finish();
}

// ---- TraceWriter ----

TraceWriter::TraceWriter(const std::filesystem::path& path)
    : m_file(std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc)) {
    if (!m_file->is_open()) {
        fail("cannot open " + path.string() + " for writing");
        return;
    }
    m_out = m_file.get();
    write_header();
}

TraceWriter::TraceWriter(std::ostream& out) : m_out(&out) {
    write_header();
}

void TraceWriter::write_header() {
    RecordBuf header;
    for (const unsigned char c : kMagic)
        header.byte(c);
    header.fixed(kTraceFormatVersion, 2);
    append(header.bytes, header.size);
}

TraceWriter::~TraceWriter() {
    flush_buffer();
}

void TraceWriter::fail(std::string message) {
    if (m_error.empty()) m_error = std::move(message);
}

void TraceWriter::append(const void* data, std::size_t size) {
    if (!ok()) return;
    m_crc = crc_update(m_crc, static_cast<const unsigned char*>(data), size);
    m_buffer.append(static_cast<const char*>(data), size);
    m_bytes += size;
    if (m_buffer.size() >= kWriteChunk) flush_buffer();
}

void TraceWriter::flush_buffer() {
    if (m_out == nullptr || m_buffer.empty()) return;
    m_out->write(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
    m_buffer.clear();
    if (!*m_out) fail("write failed");
}

void TraceWriter::on_event(const Event& event, std::string_view text) {
    if (m_finished) fail("event after on_finish");
    if (!ok()) return;
    const auto kind = static_cast<std::uint8_t>(event.kind);
    if (kind >= kEventKindCount) {
        fail("event " + std::to_string(event.seq) + " has unknown kind " + std::to_string(kind));
        return;
    }

    if (event.text != 0 && (event.text >= m_defined.size() || !m_defined[event.text])) {
        if (event.text >= kTraceTextIdSlack + 2 * (m_strings + 1)) {
            fail("text id " + std::to_string(event.text) + " too sparse for the trace format");
            return;
        }
        if (text.size() > kMaxTraceTextBytes) {
            fail("text " + std::to_string(event.text) + " longer than the trace format allows");
            return;
        }
        RecordBuf def;
        def.byte(kTagString);
        def.varint(event.text);
        def.varint(text.size());
        append(def.bytes, def.size);
        append(text.data(), text.size());
        if (event.text >= m_defined.size()) m_defined.resize(event.text + 1);
        m_defined[event.text] = true;
        ++m_strings;
    }

    unsigned flags = 0;
    if (event.seq != m_next_seq) flags |= kHasSeqJump;
    if (event.detail != 0) flags |= kHasDetail;
    if (event.worker != kNoWorker) flags |= kHasWorker;
    if (event.task != 0) flags |= kHasTask;
    if (event.object != 0) flags |= kHasObject;
    if (event.count != 0) flags |= kHasCount;
    if (event.text != 0) flags |= kHasText;
    if (event.arg != 0) flags |= kHasArg;

    RecordBuf rec;
    rec.byte(kind);
    rec.byte(flags);
    rec.varint(zigzag(static_cast<std::uint64_t>(event.time_ns) -
                      static_cast<std::uint64_t>(m_prev_time)));
    if (flags & kHasSeqJump) rec.varint(zigzag(event.seq - m_next_seq));
    if (flags & kHasDetail) rec.byte(event.detail);
    if (flags & kHasWorker) rec.varint(event.worker);
    if (flags & kHasTask) rec.varint(event.task);
    if (flags & kHasObject) rec.varint(event.object);
    if (flags & kHasCount) rec.varint(event.count);
    if (flags & kHasText) rec.varint(event.text);
    if (flags & kHasArg) rec.varint(event.arg);
    append(rec.bytes, rec.size);

    m_prev_time = event.time_ns;
    m_next_seq = event.seq + 1;
    ++m_events;
}

void TraceWriter::on_finish() {
    if (m_finished) return;
    m_finished = true;
    if (ok()) {
        RecordBuf footer;
        footer.byte(kTagFooter);
        footer.fixed(m_events, 8);
        footer.fixed(m_strings, 8);
        append(footer.bytes, footer.size);
        // The CRC covers everything up to here; it and the end marker are not part of it.
        RecordBuf tail;
        tail.fixed(~m_crc, 4);
        for (const unsigned char c : kEndMagic)
            tail.byte(c);
        m_buffer.append(reinterpret_cast<const char*>(tail.bytes), tail.size);
        m_bytes += tail.size;
    }
    flush_buffer();
    if (m_out != nullptr) {
        m_out->flush();
        if (!*m_out) fail("write failed");
    }
    if (m_file) {
        m_file->close();
        if (m_file->fail()) fail("closing the file failed");
    }
}

}  // namespace spindle
