// Streaming trace reads (stream_trace): the same events, texts and errors as the
// whole-image reader whatever the chunk size, decoding that starts before the input
// has been read to its end, progress that only goes forward to the whole file, a
// cancel that stops within a few thousand events, and damage at the very end (the
// footer's CRC) reported after every event was handed on.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/instrument/trace_file.h"
#include "spindle/instrument/trace_read_ahead.h"
#include "spindle/sync/mpsc.h"

using namespace spindle;
using Code = TraceError::Code;

namespace {

/// Every event handed on, with its text.
class Collect final : public EventSink {
public:
    void on_event(const Event& e, std::string_view text) override {
        events.push_back(e);
        texts.emplace_back(text);
    }
    std::vector<Event> events;
    std::vector<std::string> texts;
};

/// The native trace of a run with producers, a bounded channel, a consumer and prints.
std::string recorded_trace(int messages) {
    std::ostringstream out;
    TraceWriter writer(out);
    Runtime rt(rt_test::config_with(3, 7));
    rt.subscribe(writer);
    rt.block_on([](int n) -> Task<void> {
        auto [tx, rx] = mpsc::channel<int>(4, "jobs");
        for (int p = 0; p < 2; ++p)
            spawn("producer", [](mpsc::Sender<int> tx, int n) -> Task<void> {
                for (int i = 0; i < n; ++i)
                    co_await tx.send(i);
            }(tx.clone(), n / 2));
        tx.drop();
        while (co_await rx.recv()) {
        }
    }(messages));
    writer.on_finish();
    REQUIRE(writer.ok());
    return out.str();
}

/// A stream over `bytes` that remembers how far it has been read.
class CountingBuf final : public std::streambuf {
public:
    explicit CountingBuf(const std::string& bytes) : m_bytes(bytes) {}
    std::size_t handed_out = 0;

protected:
    std::streamsize xsgetn(char* s, std::streamsize n) override {
        const std::size_t k = std::min(static_cast<std::size_t>(n), m_bytes.size() - handed_out);
        m_bytes.copy(s, k, handed_out);
        handed_out += k;
        return static_cast<std::streamsize>(k);
    }
    int_type underflow() override { return traits_type::eof(); }

private:
    const std::string& m_bytes;
};

std::filesystem::path temp_path(const std::string& name) {
    return std::filesystem::temp_directory_path() /
           ("spindle_stream_" + std::to_string(::getpid()) + "_" + name);
}

/// Checks that every way of streaming `bytes` agrees with read_trace_bytes.
void check_same_as_whole(const std::string& bytes) {
    const TraceReadResult whole = read_trace_bytes(bytes);
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{5}, std::size_t{4096}}) {
        INFO("chunk " << chunk);
        std::istringstream in(bytes);
        Collect sink;
        TraceStreamOptions options;
        options.read_chunk = chunk;
        const TraceStreamResult r = stream_trace(in, sink, options);
        CHECK_FALSE(r.cancelled);
        if (whole) {
            REQUIRE(r.ok());
            CHECK(r.events == whole.trace->events.size());
            CHECK(sink.events == whole.trace->events);
            for (std::size_t i = 0; i < sink.events.size(); ++i)
                REQUIRE(sink.texts[i] == whole.trace->text(sink.events[i].text));
        } else {
            REQUIRE(r.error.has_value());
            CHECK(r.error->code == whole.error->code);
            CHECK(r.error->offset == whole.error->offset);
            CHECK(r.error->message == whole.error->message);
        }
    }
}

}  // namespace

TEST_CASE("trace stream: any chunk size gives the whole reader's events and texts") {
    const std::string bytes = recorded_trace(400);
    const TraceReadResult whole = read_trace_bytes(bytes);
    REQUIRE(whole);
    REQUIRE(whole.trace->events.size() > 1000);
    check_same_as_whole(bytes);
}

TEST_CASE("trace stream: truncations, flipped bits and random edits give the same errors") {
    const std::string bytes = recorded_trace(20);
    for (std::size_t len = 0; len < bytes.size(); len += 1 + len / 64) {
        INFO("prefix " << len);
        check_same_as_whole(bytes.substr(0, len));
    }
    for (std::size_t pos = 0; pos < bytes.size(); pos += 3) {
        std::string damaged = bytes;
        damaged[pos] = static_cast<char>(damaged[pos] ^ (1 << (pos % 8)));
        INFO("flip at " << pos);
        check_same_as_whole(damaged);
    }
    std::mt19937_64 rng(99);
    for (int i = 0; i < 300; ++i) {
        std::string damaged = bytes;
        const std::size_t pos = rng() % damaged.size();
        if (rng() % 2) {
            damaged.erase(pos, 1 + rng() % 6);
        } else {
            damaged.insert(pos, 1 + rng() % 3, static_cast<char>(rng()));
        }
        INFO("edit " << i);
        check_same_as_whole(damaged);
    }
    check_same_as_whole(bytes + "x");  // bytes after the footer
}

TEST_CASE("trace stream: events are handed on before the input is read to its end") {
    const std::string bytes = recorded_trace(4000);
    REQUIRE(bytes.size() > 8 * 4096);
    CountingBuf buf(bytes);
    std::istream in(&buf);
    /// Notes how much of the input had been read when the first event arrived.
    class First final : public EventSink {
    public:
        explicit First(const CountingBuf& b) : m_buf(b) {}
        void on_event(const Event&, std::string_view) override {
            if (read_at_first == 0) read_at_first = m_buf.handed_out;
        }
        std::size_t read_at_first = 0;

    private:
        const CountingBuf& m_buf;
    } first(buf);
    TraceStreamOptions options;
    options.read_chunk = 4096;
    const TraceStreamResult r = stream_trace(in, first, options);
    REQUIRE(r.ok());
    CHECK(first.read_at_first > 0);
    CHECK(first.read_at_first <= 2 * 4096);
    CHECK(buf.handed_out == bytes.size());
}

TEST_CASE("trace stream: progress only goes forward and ends at the file's size") {
    const std::string bytes = recorded_trace(4000);
    const auto path = temp_path("progress.spt");
    std::ofstream(path, std::ios::binary) << bytes;
    std::vector<TraceReadProgress> seen;
    TraceStreamOptions options;
    options.read_chunk = 1000;
    options.progress = [&](const TraceReadProgress& p) { seen.push_back(p); };
    Collect sink;
    const TraceStreamResult r = stream_trace(path, sink, options);
    std::filesystem::remove(path);
    REQUIRE(r.ok());
    REQUIRE(seen.size() > 10);
    for (std::size_t i = 1; i < seen.size(); ++i) {
        CHECK(seen[i].bytes >= seen[i - 1].bytes);
        CHECK(seen[i].events >= seen[i - 1].events);
    }
    for (const TraceReadProgress& p : seen) {
        CHECK(p.total == bytes.size());
        CHECK(p.bytes <= p.total);
    }
    CHECK(seen.back().bytes == bytes.size());
    CHECK(seen.back().events == sink.events.size());
}

TEST_CASE("trace stream: cancel stops within a few thousand events") {
    const std::string bytes = recorded_trace(20000);
    const TraceReadResult whole = read_trace_bytes(bytes);
    REQUIRE(whole);
    const std::size_t total = whole.trace->events.size();
    REQUIRE(total > 40000);
    std::atomic<bool> cancel{false};
    /// Sets the flag once it has seen 10000 events, as another thread would.
    class Canceller final : public EventSink {
    public:
        explicit Canceller(std::atomic<bool>& flag) : m_flag(flag) {}
        void on_event(const Event&, std::string_view) override {
            if (++seen == 10000) m_flag.store(true);
        }
        std::size_t seen = 0;

    private:
        std::atomic<bool>& m_flag;
    } sink(cancel);
    std::istringstream in(bytes);
    TraceStreamOptions options;
    options.cancel = &cancel;
    const TraceStreamResult r = stream_trace(in, sink, options);
    CHECK(r.cancelled);
    CHECK_FALSE(r.error.has_value());
    CHECK_FALSE(r.ok());
    CHECK(r.events == sink.seen);
    CHECK(sink.seen >= 10000);
    CHECK(sink.seen <= 10000 + 4096);
}

TEST_CASE("trace stream: a bad checksum at the very end comes after every event") {
    std::string bytes = recorded_trace(400);
    const std::size_t crc_at = bytes.size() - 8;
    bytes[crc_at] = static_cast<char>(bytes[crc_at] ^ 0x01);
    std::istringstream in(bytes);
    Collect sink;
    const TraceStreamResult r = stream_trace(in, sink);
    REQUIRE(r.error.has_value());
    CHECK(r.error->code == Code::checksum_mismatch);
    CHECK(r.error->offset == crc_at);
    CHECK_FALSE(r.ok());
    // Every event reached the sink before the footer could be checked: the caller
    // must drop what it built (run_session does).
    CHECK(r.events == sink.events.size());
    CHECK(sink.events.size() > 1000);
}

TEST_CASE("trace read-ahead: the same events, texts and errors as the reader on one thread") {
    const std::string bytes = recorded_trace(4000);
    const auto path = temp_path("ahead.spt");
    std::string bad_crc = bytes;
    bad_crc[bytes.size() - 8] = static_cast<char>(bad_crc[bytes.size() - 8] ^ 0x01);
    std::string bad_middle = bytes;
    bad_middle[bytes.size() / 2] = static_cast<char>(bad_middle[bytes.size() / 2] ^ 0x10);
    for (const std::string& input :
         {bytes, bytes.substr(0, bytes.size() / 3), bad_crc, bad_middle, bytes + "x"}) {
        std::ofstream(path, std::ios::binary | std::ios::trunc) << input;
        Collect one, ahead;
        TraceStreamOptions options;
        options.read_chunk = 1000;
        const TraceStreamResult a = stream_trace(path, one, options);
        std::vector<TraceReadProgress> seen;
        bool elsewhere = false;  // progress (like the sink) runs on the calling thread
        const auto caller = std::this_thread::get_id();
        options.progress = [&](const TraceReadProgress& p) {
            seen.push_back(p);
            elsewhere = elsewhere || std::this_thread::get_id() != caller;
        };
        const TraceStreamResult b = stream_trace_read_ahead(path, ahead, options);
        CHECK_FALSE(elsewhere);
        INFO("input of " << input.size() << " bytes");
        CHECK(b.ok() == a.ok());
        CHECK(b.cancelled == a.cancelled);
        REQUIRE(b.error.has_value() == a.error.has_value());
        if (a.error) {
            CHECK(b.error->code == a.error->code);
            CHECK(b.error->offset == a.error->offset);
            CHECK(b.error->message == a.error->message);
        } else {
            CHECK(ahead.events == one.events);
            CHECK(ahead.texts == one.texts);
            CHECK(b.events == a.events);
            REQUIRE_FALSE(seen.empty());
            CHECK(seen.back().bytes == input.size());
            CHECK(seen.back().events == ahead.events.size());
        }
        for (std::size_t i = 1; i < seen.size(); ++i) {
            CHECK(seen[i].bytes >= seen[i - 1].bytes);
            CHECK(seen[i].events >= seen[i - 1].events);
        }
    }
    std::filesystem::remove(path);
}

TEST_CASE("trace read-ahead: cancel and a throwing sink stop the decoding thread") {
    const std::string bytes = recorded_trace(20000);
    const auto path = temp_path("ahead_cancel.spt");
    std::ofstream(path, std::ios::binary) << bytes;
    SECTION("cancel") {
        std::atomic<bool> cancel{false};
        Collect sink;
        TraceStreamOptions options;
        options.cancel = &cancel;
        options.progress = [&](const TraceReadProgress&) { cancel.store(true); };
        const TraceStreamResult r = stream_trace_read_ahead(path, sink, options);
        CHECK(r.cancelled);
        CHECK_FALSE(r.error.has_value());
        CHECK(r.events == sink.events.size());
        CHECK(sink.events.size() == kReadAheadBatch);
    }
    SECTION("a sink that throws") {
        class Throws final : public EventSink {
        public:
            void on_event(const Event&, std::string_view) override {
                if (++seen == 5000) throw std::runtime_error("sink failed");
            }
            std::size_t seen = 0;
        } sink;
        CHECK_THROWS_WITH(stream_trace_read_ahead(path, sink), "sink failed");
        CHECK(sink.seen == 5000);
    }
    std::filesystem::remove(path);
}
