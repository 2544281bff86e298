// Binary trace encoder/decoder; the layout is specified in docs/trace-format.md.
//
// State: TraceWriter's encoder state (see trace_file.h). The reader decodes from an
// in-memory image and keeps nothing between calls. Every length read from a file is
// checked against the bytes that remain before anything is allocated for it.

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

constexpr std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}
constexpr auto kCrcTable = make_crc_table();

/// Continues a CRC over more bytes; `state` starts at 0xFFFFFFFF, the result is ~state.
std::uint32_t crc_update(std::uint32_t state, const unsigned char* data, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i)
        state = kCrcTable[(state ^ data[i]) & 0xFF] ^ (state >> 8);
    return state;
}

std::uint32_t crc32(std::string_view bytes) {
    return ~crc_update(0xFFFFFFFFu, reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size());
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

/// A decoding failure: either the data ran out, or it is malformed.
struct Failure {
    bool out_of_data = false;
    std::uint64_t offset = 0;
    std::string message;
};

class Decoder {
public:
    explicit Decoder(std::string_view data) : m_data(data) {}

    std::size_t pos() const { return m_pos; }
    std::size_t remaining() const { return m_data.size() - m_pos; }

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
        const std::size_t start = m_pos;
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

    /// A varint that must fit `max` and differ from `absent` (its flag says it is present).
    std::uint64_t field(const char* what, std::uint64_t max, std::uint64_t absent) {
        const std::size_t start = m_pos;
        const std::uint64_t v = varint(what);
        if (v > max) invalid(start, std::string(what) + " out of range");
        if (v == absent) invalid(start, std::string(what) + " flagged present but has its default");
        return v;
    }

    std::string_view bytes(std::size_t size, const char* what) {
        need(size, what);
        const auto out = m_data.substr(m_pos, size);
        m_pos += size;
        return out;
    }

    [[noreturn]] void invalid(std::size_t offset, std::string message) const {
        throw Failure{false, offset, std::move(message)};
    }

private:
    void need(std::size_t size, const char* what) const {
        if (remaining() < size) {
            throw Failure{true, m_data.size(), std::string("data ends inside ") + what};
        }
    }

    std::string_view m_data;
    std::size_t m_pos = 0;
};

TraceReadResult failed(TraceError::Code code, std::uint64_t offset, std::string message) {
    TraceReadResult r;
    r.error = TraceError{code, offset, std::move(message)};
    return r;
}

/// Decodes everything after the (already checked) header. Throws Failure when decoding
/// fails; sets `footer_error` when the records decode but the footer rejects them.
Trace decode_records(std::string_view data, TraceChecks checks, std::uint64_t max_events,
                     TraceReadResult& footer_error) {
    Decoder in(data);
    in.bytes(kHeaderSize, "header");
    Trace trace;
    std::vector<bool> defined;
    std::uint64_t strings = 0;
    std::uint64_t next_seq = 0;
    std::int64_t prev_time = 0;
    EventBounds bounds;  // a file that decodes must still be a stream a run could write

    for (;;) {
        const std::size_t record = in.pos();
        const unsigned char tag = in.byte("record tag");
        if (tag == kTagFooter) break;
        if (tag == kTagString) {
            const std::size_t id_at = in.pos();
            const std::uint64_t id = in.field("string id", 0xFFFFFFFFu, 0);
            ++strings;
            if (id >= kTraceTextIdSlack + 2 * strings) {
                in.invalid(id_at, "string id " + std::to_string(id) + " too sparse");
            }
            if (id < defined.size() && defined[id]) {
                in.invalid(id_at, "string id " + std::to_string(id) + " defined twice");
            }
            const std::size_t len_at = in.pos();
            const std::uint64_t len = in.varint("string length");
            if (len > kMaxTraceTextBytes) in.invalid(len_at, "string longer than the maximum");
            const std::string_view text = in.bytes(static_cast<std::size_t>(len), "string");
            if (id >= defined.size()) {
                defined.resize(id + 1);
                trace.texts.resize(id + 1);
            }
            defined[id] = true;
            trace.texts[id] = std::string(text);
            continue;
        }
        if (tag >= kEventKindCount) {
            in.invalid(record, tag < kTagString ? "unknown event kind " + std::to_string(tag)
                                                : "unknown record tag " + std::to_string(tag));
        }
        if (trace.events.size() >= max_events) {
            footer_error =
                failed(TraceError::Code::too_large, record,
                       "more than the " + std::to_string(max_events) + " events this reader holds");
            return trace;
        }
        Event e;
        e.kind = static_cast<EventKind>(tag);
        const unsigned flags = in.byte("event flags");
        const std::uint64_t dt = unzigzag(in.varint("time delta"));
        e.time_ns = static_cast<std::int64_t>(static_cast<std::uint64_t>(prev_time) + dt);
        e.seq = next_seq;
        if (flags & kHasSeqJump) {
            const std::size_t at = in.pos();
            const std::uint64_t jump = in.varint("seq jump");
            if (jump == 0) in.invalid(at, "seq jump flagged present but zero");
            e.seq = next_seq + unzigzag(jump);
        }
        if (flags & kHasDetail) {
            const std::size_t at = in.pos();
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
            const std::size_t at = in.pos();
            e.text = static_cast<TextId>(in.field("text id", 0xFFFFFFFFu, 0));
            if (e.text >= defined.size() || !defined[e.text]) {
                in.invalid(at, "text id " + std::to_string(e.text) + " used before its definition");
            }
        }
        if (flags & kHasArg) e.arg = in.field("arg", ~std::uint64_t{0}, 0);
        if (auto impossible = checks == TraceChecks::run ? bounds.check(e) : std::nullopt) {
            in.invalid(record, "event " + std::to_string(trace.events.size()) + " (" +
                                   std::string(to_string(e.kind)) + "): " + *impossible);
        }
        prev_time = e.time_ns;
        next_seq = e.seq + 1;
        trace.events.push_back(e);
    }

    // Footer (the tag has been read).
    const std::size_t counts_at = in.pos();
    const std::uint64_t events = in.fixed(8, "footer");
    const std::uint64_t defs = in.fixed(8, "footer");
    const std::size_t crc_at = in.pos();
    const auto stored_crc = static_cast<std::uint32_t>(in.fixed(4, "footer"));
    const std::size_t end_at = in.pos();
    const std::string_view end_magic = in.bytes(kEndMagic.size(), "footer");

    if (crc32(data.substr(0, crc_at)) != stored_crc) {
        footer_error = failed(TraceError::Code::checksum_mismatch, crc_at,
                              "CRC-32 of the content does not match the footer");
    } else if (std::memcmp(end_magic.data(), kEndMagic.data(), kEndMagic.size()) != 0) {
        footer_error = failed(TraceError::Code::corrupt, end_at, "bad end marker");
    } else if (events != trace.events.size() || defs != strings) {
        footer_error =
            failed(TraceError::Code::corrupt, counts_at, "footer counts do not match the records");
    } else if (in.remaining() != 0) {
        footer_error = failed(TraceError::Code::corrupt, in.pos(), "bytes after the footer");
    }
    return trace;
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

TraceReadResult read_trace_bytes(std::string_view data, TraceChecks checks,
                                 std::uint64_t max_events) {
    using Code = TraceError::Code;
    const std::size_t magic_len = std::min(data.size(), kMagic.size());
    for (std::size_t i = 0; i < magic_len; ++i) {
        if (static_cast<unsigned char>(data[i]) != kMagic[i]) {
            return failed(Code::bad_magic, i, "not a Spindle trace file");
        }
    }
    if (data.size() < kHeaderSize)
        return failed(Code::truncated, data.size(), "data ends inside header");
    const unsigned version = static_cast<unsigned char>(data[8]) |
                             (static_cast<unsigned>(static_cast<unsigned char>(data[9])) << 8);
    if (version != kTraceFormatVersion) {
        return failed(Code::unsupported_version, 8,
                      "trace format version " + std::to_string(version) + ", this reader reads " +
                          std::to_string(kTraceFormatVersion));
    }

    try {
        TraceReadResult footer_error;
        Trace trace = decode_records(data, checks, max_events, footer_error);
        if (footer_error.error) return footer_error;
        TraceReadResult ok;
        ok.trace = std::move(trace);
        return ok;
    } catch (const Failure& f) {
        // A complete file ends with the end marker; if it is there, the damage is inside and
        // the checksum tells whether the bytes were altered.
        const bool has_trailer = data.size() >= kHeaderSize + kFooterSize &&
                                 std::memcmp(data.data() + data.size() - kEndMagic.size(),
                                             kEndMagic.data(), kEndMagic.size()) == 0;
        if (has_trailer) {
            const std::size_t crc_at = data.size() - kEndMagic.size() - 4;
            std::uint32_t stored = 0;
            for (int i = 0; i < 4; ++i) {
                stored |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[crc_at + i]))
                          << (8 * i);
            }
            if (crc32(data.substr(0, crc_at)) != stored) {
                return failed(Code::checksum_mismatch, crc_at,
                              "CRC-32 does not match (decoding failed at offset " +
                                  std::to_string(f.offset) + ": " + f.message + ")");
            }
            return failed(Code::corrupt, f.offset, f.message);
        }
        return failed(f.out_of_data ? Code::truncated : Code::corrupt, f.offset, f.message);
    }
}

TraceReadResult read_trace(std::istream& in, TraceChecks checks, std::uint64_t max_events) {
    std::string data;
    char chunk[64 * 1024];
    for (;;) {
        // The first read is the header alone: anything else (/dev/zero, a text file)
        // is turned away by its magic without reading further.
        const std::size_t want = data.empty() ? kHeaderSize : sizeof chunk;
        in.read(chunk, static_cast<std::streamsize>(want));
        data.append(chunk, static_cast<std::size_t>(in.gcount()));
        if (!in) break;
        if (data.size() == kHeaderSize) {
            const TraceReadResult head = read_trace_bytes(data, checks);
            if (!head && head.error->code != TraceError::Code::truncated) return head;
        }
        if (data.size() > kMaxTraceFileBytes)
            return failed(TraceError::Code::io_error, data.size(),
                          "larger than the " + std::to_string(kMaxTraceFileBytes >> 20) +
                              " MiB a trace may have");
    }
    if (in.bad()) return failed(TraceError::Code::io_error, data.size(), "read error");
    return read_trace_bytes(data, checks, max_events);
}

TraceReadResult read_trace(const std::filesystem::path& path, TraceChecks checks,
                           std::uint64_t max_events) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (fs::is_directory(status)) {
        return failed(TraceError::Code::io_error, 0, "is a directory: " + path.string());
    }
    // Opening a FIFO blocks until a writer comes, and a device never ends: only read
    // regular files, and only when their size is within the limit.
    if (fs::exists(status) && !fs::is_regular_file(status))
        return failed(TraceError::Code::io_error, 0, "not a regular file: " + path.string());
    if (fs::exists(status)) {
        const std::uintmax_t size = fs::file_size(path, ec);
        if (!ec && size > kMaxTraceFileBytes)
            return failed(TraceError::Code::io_error, 0,
                          path.string() + " is " + std::to_string(size >> 20) +
                              " MiB, larger than the " + std::to_string(kMaxTraceFileBytes >> 20) +
                              " MiB a trace may have");
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
