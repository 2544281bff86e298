// Determinism: the same configuration and seed give the same event stream, byte
// for byte; a different seed changes the schedule of a contended program; a
// recorded trace replays to the same dump.
#include <catch2/catch.hpp>

#include <sstream>

#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/instrument/text_dump.h"
#include "spindle/instrument/trace_file.h"
#include "spindle/sync/mpsc.h"
#include "spindle/sync/select.h"

using namespace spindle;

namespace {

constexpr Nanos us(std::int64_t n) {
    return Nanos(n * 1000);
}

/// Producers and consumers contending on two channels, with selects and uneven work.
Task<void> contended() {
    auto [tx_a, rx_a] = mpsc::channel<int>(2, "a");
    auto [tx_b, rx_b] = mpsc::channel<int>(2, "b");
    for (int p = 0; p < 4; ++p)
        spawn("producer", [](mpsc::Sender<int> a, mpsc::Sender<int> b, int p) -> Task<void> {
            for (int i = 0; i < 12; ++i) {
                co_await work(us(10 + 7 * p));
                co_await ((i + p) % 2 ? a : b).send(i);
            }
        }(tx_a.clone(), tx_b.clone(), p));
    tx_a.drop();
    tx_b.drop();
    auto consumer =
        spawn("consumer", [](mpsc::Receiver<int> a, mpsc::Receiver<int> b) -> Task<int> {
            int total = 0;
            bool a_open = true, b_open = true;
            while (a_open || b_open) {
                auto ra = a.recv();
                auto rb = b.recv();
                auto tick = sleep(us(40));
                const std::size_t i = co_await select(ra, rb, tick);
                if (i == 0) {
                    auto v = ra.result();
                    if (v)
                        total += *v;
                    else
                        a_open = false;
                } else if (i == 1) {
                    auto v = rb.result();
                    if (v)
                        total += *v;
                    else
                        b_open = false;
                }
                co_await work(us(15));
            }
            co_return total;
        }(std::move(rx_a), std::move(rx_b)));
    co_await consumer;
}

std::string dump(std::uint64_t seed, int workers = 4) {
    std::ostringstream out;
    TextDump sink(out);
    RuntimeConfig c;
    c.workers = workers;
    c.seed = seed;
    Runtime rt(c);
    rt.subscribe(sink);
    rt.block_on(contended());
    REQUIRE(rt.outcome() == RunOutcome::completed);
    return out.str();
}

}  // namespace

TEST_CASE("the same seed gives a byte-identical text dump", "[determinism]") {
    const std::string a = dump(42);
    const std::string b = dump(42);
    CHECK(a.size() > 1000);
    CHECK(a == b);
}

TEST_CASE("a different seed changes the schedule of a contended program", "[determinism]") {
    CHECK(dump(1) != dump(2));
}

TEST_CASE("a recorded trace replays to the same text dump", "[determinism][trace]") {
    std::ostringstream direct_out;
    std::stringstream trace_bytes;
    {
        TextDump direct(direct_out);
        TraceWriter writer(trace_bytes);
        RuntimeConfig c;
        c.seed = 9;
        Runtime rt(c);
        rt.subscribe(direct);
        rt.subscribe(writer);
        rt.block_on(contended());
        REQUIRE(writer.ok());
    }
    auto read = read_trace(trace_bytes);
    REQUIRE(read);
    std::ostringstream replay_out;
    TextDump replayed(replay_out);
    replay_trace(*read.trace, replayed);
    CHECK(replay_out.str() == direct_out.str());
}
