// Binary trace files: exact round trip, compactness, and typed errors for every
// truncation, flipped bit, bad header, missing file and crafted corruption.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "spindle/instrument/recorder.h"
#include "spindle/instrument/text_dump.h"
#include "spindle/instrument/trace_file.h"

using namespace spindle;
using Code = TraceError::Code;

namespace {

struct Item {
    Event event;
    std::string text;  ///< passed to the sink with the event
};

/// A small run that uses every kind, with texts, in seq order as the runtime emits it.
std::vector<Item> sample_run() {
    using E = EventKind;
    std::vector<Item> items = {
        {{.time_ns = 0, .kind = E::run_start, .count = 2, .text = 1, .arg = 42}, "scenario=demo"},
        {{.time_ns = 0, .kind = E::worker_start, .worker = 0}, ""},
        {{.time_ns = 0, .kind = E::worker_start, .worker = 1}, ""},
        {{.time_ns = 0, .kind = E::worker_start, .detail = 1, .worker = 2}, ""},
        {{.time_ns = 0, .kind = E::resource_created, .object = 1, .count = 4, .text = 2}, "jobs"},
        {{.time_ns = 0, .kind = E::resource_created, .detail = 4, .object = 2}, ""},  // a mutex
        {{.time_ns = 0, .kind = E::task_spawn, .task = 1, .text = 3}, "producer"},
        {{.time_ns = 0, .kind = E::task_scheduled, .detail = 2, .task = 1, .object = kNoWorker},
         ""},
        {{.time_ns = 0, .kind = E::task_spawn, .task = 2, .text = 4, .arg = 1}, "consumer"},
        {{.time_ns = 0, .kind = E::task_scheduled, .detail = 1, .task = 2, .object = 1}, ""},
        {{.time_ns = 100, .kind = E::worker_unpark, .worker = 1, .arg = 2}, ""},
        {{.time_ns = 100, .kind = E::poll_start, .worker = 0, .task = 1}, ""},
        {{.time_ns = 1100,
          .kind = E::chan_send,
          .worker = 0,
          .task = 1,
          .object = 1,
          .count = 1,
          .arg = 1},
         ""},
        {{.time_ns = 1100,
          .kind = E::task_wake,
          .detail = 2,
          .worker = 0,
          .task = 2,
          .object = 1,
          .arg = 1},
         ""},
        {{.time_ns = 1200,
          .kind = E::timer_set,
          .worker = 0,
          .task = 1,
          .object = 7,
          .arg = 50'000},
         ""},
        {{.time_ns = 1300,
          .kind = E::wait_start,
          .detail = 10,
          .worker = 0,
          .task = 1,
          .object = 7},
         ""},
        {{.time_ns = 1400, .kind = E::poll_end, .detail = 1, .worker = 0, .task = 1}, ""},
        {{.time_ns = 1400, .kind = E::worker_park, .worker = 0}, ""},
        {{.time_ns = 1500, .kind = E::worker_steal, .worker = 1, .object = 0, .count = 1}, ""},
        {{.time_ns = 1500, .kind = E::poll_start, .worker = 1, .task = 2}, ""},
        {{.time_ns = 1600, .kind = E::chan_recv, .worker = 1, .task = 2, .object = 1, .arg = 1},
         ""},
        {{.time_ns = 1600,
          .kind = E::chan_try_fail,
          .detail = 2,
          .worker = 1,
          .task = 2,
          .object = 1},
         ""},
        {{.time_ns = 1700,
          .kind = E::select_start,
          .detail = 1,
          .worker = 1,
          .task = 2,
          .object = 3,
          .count = 2},
         ""},
        {{.time_ns = 1800,
          .kind = E::select_winner,
          .worker = 1,
          .task = 2,
          .object = 3,
          .count = 1},
         ""},
        {{.time_ns = 1900,
          .kind = E::lock_acquire,
          .worker = 1,
          .task = 2,
          .object = 2,
          .count = 1},
         ""},
        {{.time_ns = 2000,
          .kind = E::lock_release,
          .worker = 1,
          .task = 2,
          .object = 2,
          .count = 1},
         ""},
        {{.time_ns = 2100, .kind = E::log, .worker = 1, .task = 2, .text = 5},
         "got \"1\"\nnext line"},
        {{.time_ns = 2200, .kind = E::chan_lag, .worker = 1, .task = 2, .object = 1, .arg = 3}, ""},
        {{.time_ns = 2300, .kind = E::chan_drop, .detail = 1, .worker = 1, .task = 2, .object = 1},
         ""},
        {{.time_ns = 2300, .kind = E::chan_close, .detail = 2, .worker = 1, .task = 2, .object = 1},
         ""},
        {{.time_ns = 2400, .kind = E::poll_end, .worker = 1, .task = 2}, ""},
        {{.time_ns = 2400, .kind = E::task_end, .detail = 1, .worker = 1, .task = 2, .text = 6},
         "consumer failed: \xc3\xa9t\xc3\xa9"},
        {{.time_ns = 50'000, .kind = E::timer_fired, .object = 7, .arg = 50'000}, ""},
        {{.time_ns = 50'000, .kind = E::task_wake, .detail = 1, .task = 1, .object = 7}, ""},
        {{.time_ns = 50'000,
          .kind = E::wait_end,
          .detail = 10,
          .worker = 0,
          .task = 1,
          .object = 7},
         ""},
        {{.time_ns = 50'000, .kind = E::timer_cancelled, .object = 8, .arg = 90'000}, ""},
        {{.time_ns = 50'100, .kind = E::log, .worker = 0, .task = 1, .text = 5}, ""},
        {{.time_ns = 50'100, .kind = E::task_end, .worker = 0, .task = 1}, ""},
        {{.time_ns = 50'200, .kind = E::run_end, .detail = 1}, ""},
    };
    for (std::size_t i = 0; i < items.size(); ++i)
        items[i].event.seq = i;
    return items;
}

/// Encodes `items` with a TraceWriter into an in-memory image.
std::string encode(const std::vector<Item>& items, bool finish = true) {
    std::ostringstream out;
    {
        TraceWriter writer(out);
        for (const Item& it : items)
            writer.on_event(it.event, it.text);
        if (finish) writer.on_finish();
        REQUIRE(writer.ok());
        REQUIRE(writer.event_count() == items.size());
    }
    return out.str();
}

/// The string table a Recorder builds from the same stream.
std::vector<std::string> recorded_texts(const std::vector<Item>& items) {
    Recorder r;
    for (const Item& it : items)
        r.on_event(it.event, it.text);
    return r.texts();
}

std::vector<Event> events_of(const std::vector<Item>& items) {
    std::vector<Event> events;
    for (const Item& it : items)
        events.push_back(it.event);
    return events;
}

std::filesystem::path temp_file(const std::string& name) {
    return std::filesystem::temp_directory_path() /
           ("spindle_" + std::to_string(::getpid()) + "_" + name);
}

// ---- crafting files byte by byte (independent of the writer) ----

std::uint32_t crc32(const std::string& bytes) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (const unsigned char b : bytes) {
        c ^= b;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return ~c;
}

void put_le(std::string& out, std::uint64_t v, int width) {
    for (int i = 0; i < width; ++i)
        out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

const std::string kHeader = std::string("\x89SPNDL\r\n", 8) + std::string("\x01\x00", 2);

/// header + `body` + a footer with a valid CRC.
std::string craft(const std::string& body, std::uint64_t events, std::uint64_t strings) {
    std::string file = kHeader + body;
    file += '\x81';
    put_le(file, events, 8);
    put_le(file, strings, 8);
    put_le(file, crc32(file), 4);
    file += std::string("SPN\xFF", 4);
    return file;
}

Code error_code(const TraceReadResult& r) {
    REQUIRE_FALSE(r);
    REQUIRE(r.error.has_value());
    return r.error->code;
}

}  // namespace

TEST_CASE("trace file: round trip of a run using every kind is exact") {
    const auto items = sample_run();
    const std::string bytes = encode(items);
    const TraceReadResult r = read_trace_bytes(bytes);
    REQUIRE(r);
    CHECK_FALSE(r.error.has_value());
    CHECK(r.trace->events == events_of(items));
    CHECK(r.trace->texts == recorded_texts(items));
    CHECK(r.trace->text(5) == "got \"1\"\nnext line");
    CHECK(r.trace->text(0).empty());
    CHECK(r.trace->text(999).empty());

    std::set<EventKind> kinds;
    for (const Event& e : r.trace->events)
        kinds.insert(e.kind);
    CHECK(kinds.size() == static_cast<std::size_t>(kEventKindCount));
}

TEST_CASE("trace file: extreme values, seq gaps and time jumps round trip exactly") {
    constexpr auto u64max = std::numeric_limits<std::uint64_t>::max();
    constexpr auto i64max = std::numeric_limits<std::int64_t>::max();
    constexpr auto i64min = std::numeric_limits<std::int64_t>::min();
    std::vector<Item> items = {
        {{.seq = 5,
          .time_ns = i64max,
          .kind = EventKind::chan_send,
          .detail = 255,
          .worker = 0xFFFE,
          .task = 0xFFFFFFFF,
          .object = 0xFFFFFFFF,
          .count = 0xFFFFFFFF,
          .text = 0xFFFF,
          .arg = u64max},
         "sparse id"},
        {{.seq = 3, .time_ns = i64min, .kind = EventKind::log, .worker = 0, .text = 2}, "back"},
        {{.seq = u64max, .time_ns = -1, .kind = EventKind::poll_start}, ""},
        {{.seq = 0, .time_ns = i64max, .kind = EventKind::run_end}, ""},  // seq wraps: contiguous
        {{.seq = 0, .time_ns = 0, .kind = EventKind::run_start}, ""},     // repeated seq
        {{.seq = 1, .time_ns = 0, .kind = EventKind::task_spawn, .text = 0xFFFF}, ""},
        {{.seq = 1000, .time_ns = 1, .kind = EventKind::log, .text = 7}, ""},  // empty text
    };
    const std::string bytes = encode(items);
    // No run writes these values: the run checks refuse them, the byte format holds them.
    CHECK(error_code(read_trace_bytes(bytes)) == Code::corrupt);
    const TraceReadResult r = read_trace_bytes(bytes, TraceChecks::format);
    REQUIRE(r);
    CHECK(r.trace->events == events_of(items));
    // Recorder assumes ids arrive as 1,2,3...; build the expected sparse table by hand.
    std::vector<std::string> expected(0x10000);
    expected[0xFFFF] = "sparse id";
    expected[2] = "back";
    CHECK(r.trace->texts == expected);
    CHECK(r.trace->text(0xFFFF) == "sparse id");
    CHECK(r.trace->text(2) == "back");
    CHECK(r.trace->text(7).empty());
}

TEST_CASE("trace file: an empty run round trips") {
    const std::string bytes = encode({});
    const TraceReadResult r = read_trace_bytes(bytes);
    REQUIRE(r);
    CHECK(r.trace->events.empty());
    CHECK(r.trace->texts == std::vector<std::string>{""});
    CHECK(bytes.size() == 10 + 25);  // header + footer only
}

TEST_CASE("trace file: records are compact") {
    std::vector<Item> items;
    std::int64_t t = 0;
    for (std::uint64_t i = 0; i < 1000; ++i) {
        t += 1000;
        const bool start = i % 2 == 0;
        items.push_back({{.seq = i,
                          .time_ns = t,
                          .kind = start ? EventKind::poll_start : EventKind::poll_end,
                          .detail = static_cast<std::uint8_t>(start ? 0 : 1),
                          .worker = static_cast<WorkerId>(i % 4),
                          .task = static_cast<TaskId>(1 + i % 50)},
                         ""});
    }
    const std::string bytes = encode(items);
    // kind + flags + time delta (2) + worker + task (+ detail) = 6..7 bytes.
    CHECK(bytes.size() <= 10 + 25 + 7 * items.size());
    const TraceReadResult r = read_trace_bytes(bytes, TraceChecks::format);  // no spawns
    REQUIRE(r);
    CHECK(r.trace->events == events_of(items));
}

TEST_CASE("trace file: every truncation of a valid file is reported as truncated") {
    const std::string bytes = encode(sample_run());
    REQUIRE(read_trace_bytes(bytes));
    for (std::size_t len = 0; len < bytes.size(); ++len) {
        INFO("prefix length " << len << " of " << bytes.size());
        const TraceReadResult r = read_trace_bytes(std::string_view(bytes).substr(0, len));
        CHECK(error_code(r) == Code::truncated);
        CHECK(r.error->offset <= len);
        CHECK_FALSE(r.error->message.empty());
    }
    // A run that never finished (no footer) reads as truncated too.
    const std::string unfinished = encode(sample_run(), /*finish=*/false);
    CHECK(error_code(read_trace_bytes(unfinished)) == Code::truncated);
}

TEST_CASE("trace file: every flipped bit is detected") {
    const std::string bytes = encode(sample_run());
    for (std::size_t pos = 0; pos < bytes.size(); ++pos) {
        for (int bit = 0; bit < 8; ++bit) {
            std::string damaged = bytes;
            damaged[pos] = static_cast<char>(damaged[pos] ^ (1 << bit));
            INFO("byte " << pos << " bit " << bit);
            const Code code = error_code(read_trace_bytes(damaged));
            if (pos < 8) {
                CHECK(code == Code::bad_magic);
            } else if (pos < 10) {
                CHECK(code == Code::unsupported_version);
            } else {
                CHECK((code == Code::corrupt || code == Code::checksum_mismatch));
            }
        }
    }
    // A flip in the content (not the footer) is caught by the checksum.
    std::string damaged = bytes;
    damaged[bytes.find("producer")] = 'P';
    const TraceReadResult r = read_trace_bytes(damaged);
    CHECK(error_code(r) == Code::checksum_mismatch);
    // So is damage that makes the records undecodable: the first record (at offset 10)
    // turned into an unknown kind, with the footer intact.
    std::string undecodable = bytes;
    undecodable[10] = 0x7F;
    const TraceReadResult u = read_trace_bytes(undecodable);
    CHECK(error_code(u) == Code::checksum_mismatch);
}

TEST_CASE("trace file: bad magic and unsupported version") {
    CHECK(error_code(read_trace_bytes("hello, this is not a trace")) == Code::bad_magic);
    CHECK(error_code(read_trace_bytes("{\"traceEvents\":[]}")) == Code::bad_magic);
    CHECK(error_code(read_trace_bytes(std::string("\x89SPX", 4))) == Code::bad_magic);
    CHECK(error_code(read_trace_bytes(std::string("\x89SP", 3))) == Code::truncated);

    std::string bytes = encode(sample_run());
    bytes[8] = 2;
    const TraceReadResult r = read_trace_bytes(bytes);
    CHECK(error_code(r) == Code::unsupported_version);
    CHECK(r.error->offset == 8);
    bytes[8] = 1;
    bytes[9] = 1;  // version 257
    CHECK(error_code(read_trace_bytes(bytes)) == Code::unsupported_version);
}

TEST_CASE("trace file: crafted files with a valid checksum but bad content are corrupt") {
    // Sanity: the crafting helper produces files the reader accepts.
    {
        const std::string ok = craft(std::string("\x80\x01\x02hi", 5) +       // string 1 = "hi"
                                         std::string("\x1c\x20\x04\x01", 4),  // log t=+2 text=1
                                     1, 1);
        const TraceReadResult r = read_trace_bytes(ok);
        REQUIRE(r);
        REQUIRE(r.trace->events.size() == 1);
        CHECK(r.trace->events[0].kind == EventKind::log);
        CHECK(r.trace->events[0].time_ns == 2);
        CHECK(r.trace->events[0].text == 1);
        CHECK(r.trace->text(1) == "hi");
    }
    struct Bad {
        const char* what;
        std::string body;
        std::uint64_t events;
        std::uint64_t strings;
    };
    const Bad bad[] = {
        {"unknown event kind", std::string("\x1d\x00\x00", 3), 1, 0},
        {"unknown record tag", std::string("\x90", 1), 0, 0},
        {"text used before its definition", std::string("\x1c\x20\x00\x01", 4), 1, 0},
        {"overlong varint", std::string("\x08\x00\x80\x00", 4), 1, 0},
        {"varint longer than 64 bits",
         std::string("\x08\x40\x00", 3) + std::string(9, '\xff') + std::string("\x02", 1), 1, 0},
        {"worker out of range", std::string("\x08\x02\x00\x80\x80\x04", 6), 1, 0},
        {"field flagged but default", std::string("\x08\x04\x00\x00", 4), 1, 0},
        {"detail flagged but zero", std::string("\x08\x01\x00\x00", 4), 1, 0},
        {"seq jump flagged but zero", std::string("\x08\x80\x00\x00", 4), 1, 0},
        {"string id zero", std::string("\x80\x00\x00", 3), 0, 1},
        {"string defined twice", std::string("\x80\x01\x00\x80\x01\x00", 6), 0, 2},
        {"string id far too sparse", std::string("\x80\xff\xff\xff\xff\x0f\x00", 7), 0, 1},
        {"string longer than the maximum", std::string("\x80\x01\xff\xff\xff\xff\x0f", 7), 0, 1},
        {"string runs into the footer", std::string("\x80\x01\x7f", 3), 0, 1},
        {"event count mismatch", std::string("\x08\x00\x00", 3), 2, 0},
        {"string count mismatch", std::string("\x80\x01\x00", 3), 0, 0},
    };
    for (const Bad& b : bad) {
        INFO(b.what);
        const TraceReadResult r = read_trace_bytes(craft(b.body, b.events, b.strings));
        CHECK(error_code(r) == Code::corrupt);
        CHECK(r.error->offset >= 10);
    }
    // Bytes after the footer.
    CHECK(error_code(read_trace_bytes(craft("", 0, 0) + "x")) == Code::corrupt);
    CHECK(error_code(read_trace_bytes(encode(sample_run()) + std::string(1, '\0'))) ==
          Code::corrupt);
}

TEST_CASE("trace file: files, streams, missing files and directories") {
    const auto items = sample_run();
    const auto path = temp_file("roundtrip.spt");
    {
        TraceWriter writer(path);
        REQUIRE(writer.ok());
        for (const Item& it : items)
            writer.on_event(it.event, it.text);
        writer.on_finish();
        CHECK(writer.ok());
        CHECK(writer.bytes_written() == std::filesystem::file_size(path));
    }
    const TraceReadResult from_path = read_trace(path);
    REQUIRE(from_path);
    CHECK(from_path.trace->events == events_of(items));

    std::ifstream in(path, std::ios::binary);
    const TraceReadResult from_stream = read_trace(in);
    REQUIRE(from_stream);
    CHECK(from_stream.trace->texts == recorded_texts(items));
    std::filesystem::remove(path);

    const TraceReadResult missing = read_trace(temp_file("does_not_exist.spt"));
    CHECK(error_code(missing) == Code::io_error);
    CHECK_FALSE(missing.error->message.empty());
    CHECK(error_code(read_trace(std::filesystem::temp_directory_path())) == Code::io_error);

    TraceWriter unwritable(temp_file("no_such_dir") / "x.spt");
    CHECK_FALSE(unwritable.ok());
    CHECK_FALSE(unwritable.error().empty());
    unwritable.on_event(items[0].event, items[0].text);  // harmless
    unwritable.on_finish();
    CHECK_FALSE(unwritable.ok());
}

TEST_CASE("trace file: the writer refuses what the format cannot hold") {
    SECTION("unknown kind") {
        std::ostringstream out;
        TraceWriter writer(out);
        writer.on_event({.seq = 0, .kind = EventKind::log}, "");
        writer.on_event({.seq = 1, .kind = static_cast<EventKind>(kEventKindCount)}, "");
        CHECK_FALSE(writer.ok());
        writer.on_finish();
        CHECK(error_code(read_trace_bytes(out.str())) == Code::truncated);
    }
    SECTION("text ids far sparser than 1,2,3...") {
        std::ostringstream out;
        TraceWriter writer(out);
        writer.on_event({.seq = 0, .kind = EventKind::log, .text = 4'000'000'000u}, "far");
        CHECK_FALSE(writer.ok());
        writer.on_finish();
        CHECK(error_code(read_trace_bytes(out.str())) == Code::truncated);
    }
    SECTION("events after on_finish") {
        std::ostringstream out;
        TraceWriter writer(out);
        writer.on_finish();
        const std::string finished = out.str();
        writer.on_event({.seq = 0, .kind = EventKind::log}, "");
        CHECK_FALSE(writer.ok());
        writer.on_finish();
        CHECK(out.str() == finished);
        CHECK(read_trace_bytes(finished));
    }
}

TEST_CASE("trace file: replay feeds every event with its text, then finishes") {
    const auto items = sample_run();
    const TraceReadResult r = read_trace_bytes(encode(items));
    REQUIRE(r);

    struct Counting : EventSink {
        Recorder recorder;
        std::vector<std::string> texts_seen;
        int finishes = 0;
        void on_event(const Event& e, std::string_view text) override {
            recorder.on_event(e, text);
            texts_seen.emplace_back(text);
        }
        void on_finish() override { ++finishes; }
    } sink;
    replay_trace(*r.trace, sink);
    CHECK(sink.finishes == 1);
    CHECK(std::vector<Event>(sink.recorder.events().begin(), sink.recorder.events().end()) ==
          events_of(items));
    CHECK(sink.recorder.texts() == recorded_texts(items));
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].event.text != 0)
            CHECK(sink.texts_seen[i] == r.trace->text(items[i].event.text));
        else
            CHECK(sink.texts_seen[i].empty());
    }

    // The text dump of the replay equals the dump of the live stream.
    std::ostringstream live, replayed;
    TextDump live_dump(live);
    for (const Item& it : items)
        live_dump.on_event(it.event, it.text);
    TextDump replay_dump(replayed);
    replay_trace(*r.trace, replay_dump);
    CHECK(replayed.str() == live.str());
}

TEST_CASE("trace file: randomly damaged files give a typed error or the exact same file") {
    const std::string bytes = encode(sample_run());
    std::mt19937_64 rng(12345);  // fixed seed: deterministic
    int accepted = 0;
    for (int iteration = 0; iteration < 3000; ++iteration) {
        std::string damaged = bytes;
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int k = 0; k < edits; ++k) {
            const std::size_t pos = rng() % damaged.size();
            switch (rng() % 3) {
                case 0:
                    damaged[pos] = static_cast<char>(rng());
                    break;
                case 1:
                    damaged.erase(pos, 1 + rng() % 8);
                    break;
                default:
                    damaged.insert(pos, 1 + rng() % 4, static_cast<char>(rng()));
                    break;
            }
            if (damaged.empty()) damaged = "x";
        }
        const TraceReadResult r = read_trace_bytes(damaged);
        if (r) {
            // The encoding is canonical: anything accepted re-encodes to the same bytes.
            ++accepted;
            std::ostringstream again;
            {
                TraceWriter writer(again);
                replay_trace(*r.trace, writer);
            }
            CHECK(again.str() == damaged);
        } else {
            REQUIRE(r.error.has_value());
            CHECK_FALSE(r.error->message.empty());
            CHECK(r.error->offset <= damaged.size());
        }
    }
    CHECK(accepted < 100);  // only edits that changed nothing can be accepted
}

TEST_CASE("trace file: streams no run could write are refused with the event's offset") {
    using E = EventKind;
    // Each case appends one impossible event to a valid prefix (a worker, two tasks, one
    // channel).
    const std::vector<Item> prefix = {
        {{.time_ns = 0, .kind = E::run_start, .count = 1}, ""},
        {{.time_ns = 0, .kind = E::worker_start, .worker = 0}, ""},
        {{.time_ns = 0, .kind = E::resource_created, .object = 1, .count = 4}, ""},
        {{.time_ns = 0, .kind = E::task_spawn, .task = 1}, ""},
        {{.time_ns = 0, .kind = E::task_spawn, .task = 2, .arg = 1}, ""},
    };
    struct Bad {
        const char* what;
        Event event;
        const char* message;  ///< a fragment of the error
    };
    const Bad bad[] = {
        {"task_spawn of task 0", {.kind = E::task_spawn, .task = 0}, "expected task 3"},
        {"task_spawn far ahead", {.kind = E::task_spawn, .task = 0xFFFFFFFF}, "spawn order"},
        {"task_spawn with an unknown parent",
         {.kind = E::task_spawn, .task = 3, .arg = 9},
         "parent 9"},
        {"resource_created 0", {.kind = E::resource_created, .object = 0}, "expected 2"},
        {"resource_created far ahead",
         {.kind = E::resource_created, .object = 0xFFFFFFFF},
         "creation order"},
        {"a poll of a task never spawned",
         {.kind = E::poll_start, .worker = 0, .task = 7},
         "task 7 was never spawned"},
        {"a send on a channel never created",
         {.kind = E::chan_send, .task = 1, .object = 5},
         "resource 5 was never created"},
        {"a lock of resource 0", {.kind = E::lock_acquire, .task = 1, .object = 0}, "resource 0"},
        {"a join of a task never spawned",
         {.kind = E::wait_start, .detail = 9, .task = 1, .object = 40},
         "join of task 40"},
        {"worker 0xFFFE", {.kind = E::worker_start, .worker = 0xFFFE}, "worker 65534"},
        {"steal from worker 9000",
         {.kind = E::worker_steal, .worker = 0, .object = 9000},
         "unknown worker"},
        // Workers, like tasks, are numbered in start order: a stream naming a worker it
        // never started would make a model hold a track for every id up to it.
        {"worker_start out of order", {.kind = E::worker_start, .worker = 2}, "expected worker 1"},
        {"a poll on a worker never started",
         {.kind = E::poll_start, .worker = 3, .task = 1},
         "worker 3 was never started (1 so far)"},
        {"a steal from a worker never started",
         {.kind = E::worker_steal, .worker = 0, .object = 1},
         "unknown worker"},
        {"a task scheduled on a worker never started",
         {.kind = E::task_scheduled, .task = 1, .object = 1},
         "unknown worker"},
        {"time near int64 max",
         {.time_ns = std::numeric_limits<std::int64_t>::max(), .kind = E::log},
         "outside 0 .. 2^62"},
        {"negative time", {.time_ns = -5, .kind = E::log}, "outside"},
        {"a run outcome no run has", {.kind = E::run_end, .detail = 200}, "detail"},
        {"a wait result no wait has",
         {.kind = E::wait_end, .detail = 1, .task = 1, .object = 1, .count = 7},
         "count"},
    };
    for (const Bad& b : bad) {
        INFO(b.what);
        std::vector<Item> items = prefix;
        items.push_back({b.event, ""});
        for (std::size_t i = 0; i < items.size(); ++i)
            items[i].event.seq = i;
        const std::string bytes = encode(items);
        const TraceReadResult r = read_trace_bytes(bytes);
        CHECK(error_code(r) == Code::corrupt);
        CHECK_THAT(r.error->message, Catch::Contains(b.message));
        CHECK_THAT(r.error->message,
                   Catch::Contains("event 5 (" + std::string(to_string(b.event.kind))));
        // The offset is the impossible record's: it starts with the event's kind.
        REQUIRE(r.error->offset < bytes.size());
        CHECK(static_cast<unsigned char>(bytes[r.error->offset]) ==
              static_cast<unsigned char>(b.event.kind));
        CHECK(read_trace_bytes(bytes.substr(0, r.error->offset)).error->code == Code::truncated);
        // Without the run checks the same bytes read.
        CHECK(read_trace_bytes(bytes, TraceChecks::format));
    }
    // The prefix itself is a stream a run could write.
    std::vector<Item> valid = prefix;
    for (std::size_t i = 0; i < valid.size(); ++i)
        valid[i].event.seq = i;
    CHECK(read_trace_bytes(encode(valid)));
}

TEST_CASE("trace file: devices, FIFOs and oversized files are refused without reading them") {
    // /dev/zero never ends; a reader that read it to the end would never return.
    const TraceReadResult zero = read_trace(std::filesystem::path("/dev/zero"));
    CHECK(error_code(zero) == Code::io_error);
    CHECK_THAT(zero.error->message, Catch::Contains("not a regular file"));

    // A FIFO with no writer: opening it would block forever.
    const auto fifo = temp_file("fifo.spt");
    std::filesystem::remove(fifo);
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const TraceReadResult from_fifo = read_trace(fifo);
    std::filesystem::remove(fifo);
    CHECK(error_code(from_fifo) == Code::io_error);

    // A stream of zeros is turned away after the header, not read to its end.
    struct Zeros : std::streambuf {
        std::size_t served = 0;
        char block[4096] = {};
        int_type underflow() override {
            served += sizeof block;
            setg(block, block, block + sizeof block);
            return 0;
        }
    } zeros;
    std::istream endless(&zeros);
    CHECK(error_code(read_trace(endless)) == Code::bad_magic);
    CHECK(zeros.served < 1u << 20);

    // A sparse file above the size limit: refused from its size alone.
    const auto big = temp_file("big.spt");
    {
        std::ofstream out(big, std::ios::binary);
        out << kHeader;
    }
    std::filesystem::resize_file(big, kMaxTraceFileBytes + 1);
    const TraceReadResult too_big = read_trace(big);
    std::filesystem::remove(big);
    CHECK(error_code(too_big) == Code::io_error);
    CHECK_THAT(too_big.error->message, Catch::Contains("MiB"));
}

TEST_CASE("trace file: a reader can cap the events it holds") {
    const auto items = sample_run();
    const std::string bytes = encode(items);
    CHECK(read_trace_bytes(bytes, TraceChecks::run, items.size()));
    const TraceReadResult capped = read_trace_bytes(bytes, TraceChecks::run, 5);
    CHECK(error_code(capped) == Code::too_large);
    CHECK_THAT(capped.error->message, Catch::Contains("more than the 5 events"));
    // The offset is the first event beyond the cap: its record starts with its kind.
    REQUIRE(capped.error->offset < bytes.size());
    CHECK(static_cast<unsigned char>(bytes[capped.error->offset]) ==
          static_cast<unsigned char>(items[5].event.kind));
    CHECK(to_string(Code::too_large) == "too_large");
}
