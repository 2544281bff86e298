// crossbeam channels, from crossbeam-channel's documented behaviour: MPMC delivery
// (each message to exactly one receiver), disconnection from either side, zero
// capacity as a rendezvous, and blocking waits that hold the calling worker.
// Note: never co_await inside a Catch2 assertion macro (see test_mpsc.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <vector>

#include "runtime_test_support.h"
#include "spindle/core/blocking_scope.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/core/spawn.h"
#include "spindle/instrument/recorder.h"
#include "spindle/sync/crossbeam.h"

using namespace spindle;
using rt_test::kMs;

namespace {
RuntimeConfig cfg(int workers = 2, std::uint64_t seed = 1) {
    return rt_test::config_with(workers, seed);
}

/// A consumer thread: receives until disconnected, records what it got.
Task<int> consume(crossbeam::Receiver<int> rx, std::vector<int>& got) {
    BlockingScope blocking;
    int n = 0;
    for (;;) {
        auto v = co_await rx.recv();
        if (!v) break;
        got.push_back(*v);
        ++n;
        co_await work(Nanos(300'000));
    }
    co_return n;
}
}  // namespace

TEST_CASE("crossbeam: every message is received exactly once by one of several receivers",
          "[crossbeam]") {
    for (std::uint64_t seed : {1, 2, 3}) {
        for (int workers : {1, 3}) {
            Runtime rt(cfg(workers, seed));
            std::vector<int> got;
            std::vector<int> per_consumer;
            rt.block_on([](std::vector<int>& got, std::vector<int>& per) -> Task<void> {
                auto [tx, rx] = crossbeam::bounded<int>(2, "jobs");
                std::vector<JoinHandle<int>> consumers;
                for (int i = 0; i < 3; ++i)
                    consumers.push_back(spawn_thread("consumer", consume(rx.clone(), got)));
                rx.drop();
                {
                    BlockingScope blocking;
                    for (int i = 1; i <= 30; ++i) {
                        auto s = co_await tx.send(i);
                        CHECK(s == crossbeam::SendStatus::ok);
                    }
                }
                tx.drop();
                for (auto& h : consumers) {
                    auto r = co_await h;
                    per.push_back(r.value.value_or(-1));
                }
            }(got, per_consumer));
            std::vector<int> sorted = got;
            std::sort(sorted.begin(), sorted.end());
            std::vector<int> expected(30);
            std::iota(expected.begin(), expected.end(), 1);
            CHECK(sorted == expected);  // received + remaining (none) = sent, no duplicate
            CHECK(std::accumulate(per_consumer.begin(), per_consumer.end(), 0) == 30);
            // The three share the work: more than one consumer got messages.
            CHECK(std::count_if(per_consumer.begin(), per_consumer.end(),
                                [](int n) { return n > 0; }) > 1);
        }
    }
}

TEST_CASE("crossbeam: recv on an empty disconnected channel yields nothing, try_recv says so",
          "[crossbeam]") {
    Runtime rt(cfg());
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = crossbeam::unbounded<int>("c");
        auto tx2 = tx.clone();
        CHECK(tx.try_send(7) == crossbeam::TrySendStatus::ok);
        tx.drop();
        CHECK(rx.try_recv().value == 7);
        CHECK(rx.try_recv().status == crossbeam::TryRecvStatus::empty);  // tx2 alive
        tx2.drop();
        CHECK(rx.try_recv().status == crossbeam::TryRecvStatus::disconnected);
        auto v = co_await rx.recv();
        CHECK_FALSE(v.has_value());
    }());
}

TEST_CASE("crossbeam: send fails once every receiver is dropped, even while waiting",
          "[crossbeam]") {
    Runtime rt(cfg());
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = crossbeam::bounded<int>(1, "c");
        CHECK(tx.try_send(1) == crossbeam::TrySendStatus::ok);
        CHECK(tx.try_send(2) == crossbeam::TrySendStatus::full);
        auto rx2 = rx.clone();
        auto dropper = spawn(
            "dropper", [](crossbeam::Receiver<int> a, crossbeam::Receiver<int> b) -> Task<void> {
                co_await sleep(kMs);
                a.drop();
                b.drop();
            }(std::move(rx), std::move(rx2)));
        auto s = co_await tx.send(3);  // waits (full) until both receivers are gone
        CHECK(s == crossbeam::SendStatus::disconnected);
        CHECK(tx.try_send(4) == crossbeam::TrySendStatus::disconnected);
        co_await dropper;
    }());
}

TEST_CASE("crossbeam: a zero-capacity channel hands each message over in a rendezvous",
          "[crossbeam]") {
    Runtime rt(cfg());
    Nanos sent_at{0}, received_at{0};
    rt.block_on([](Nanos& sent_at, Nanos& received_at) -> Task<void> {
        auto [tx, rx] = crossbeam::bounded<int>(0, "rendezvous");
        CHECK(tx.try_send(1) == crossbeam::TrySendStatus::full);  // nobody is receiving
        auto sender =
            spawn_thread("sender", [](crossbeam::Sender<int> tx, Nanos& at) -> Task<void> {
                BlockingScope blocking;
                auto s = co_await tx.send(42);  // waits for a receiver
                CHECK(s == crossbeam::SendStatus::ok);
                at = now();
            }(std::move(tx), sent_at));
        co_await sleep(Nanos(5) * kMs.count());
        auto v = co_await rx.recv();
        received_at = now();
        CHECK(v == 42);
        CHECK(rx.len() == 0);
        co_await sender;
    }(sent_at, received_at));
    CHECK(sent_at >= 5 * kMs);  // the send completed only once the receiver came
    CHECK(received_at >= 5 * kMs);
}

TEST_CASE("crossbeam: a message wakes one waiting receiver, not all of them", "[crossbeam]") {
    Runtime rt(cfg(4));
    Recorder rec;
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        auto [tx, rx] = crossbeam::unbounded<int>("c");
        std::vector<int> got;
        std::vector<JoinHandle<int>> hs;
        for (int i = 0; i < 3; ++i)
            hs.push_back(spawn_thread("r", consume(rx.clone(), got)));
        rx.drop();
        co_await sleep(kMs);  // all three wait
        CHECK(tx.try_send(1) == crossbeam::TrySendStatus::ok);
        co_await sleep(kMs);
        tx.drop();
        for (auto& h : hs)
            co_await h;
    }());
    // Between the send and the drop: one resource wake (the receiver that got it).
    int wakes = 0;
    bool after_send = false;
    for (const Event& e : rec.events()) {
        if (e.kind == EventKind::chan_send) after_send = true;
        if (e.kind == EventKind::chan_drop &&
            e.as<payload::ChanDrop>().role == EndpointRole::sender)
            break;
        if (after_send && e.kind == EventKind::task_wake &&
            e.as<payload::TaskWake>().cause == WakeCause::resource)
            ++wakes;
    }
    CHECK(wakes == 1);
}

TEST_CASE("a blocking wait holds its worker: tasks queued there wait for it",
          "[crossbeam][blocking]") {
    // One worker: an async task blocks in recv for 5 ms; a task spawned meanwhile runs
    // only after it (with an .await instead, it would run at once).
    for (bool blocking : {true, false}) {
        Runtime rt(cfg(1));
        Recorder rec;
        rt.subscribe(rec);
        Nanos other_ran{-1};
        rt.block_on([](bool blocking, Nanos& other_ran) -> Task<void> {
            auto [tx, rx] = crossbeam::bounded<int>(1, "c");
            auto producer = spawn_thread("producer", [](crossbeam::Sender<int> tx) -> Task<void> {
                co_await sleep(Nanos(5) * kMs.count());
                tx.try_send(1);
            }(std::move(tx)));
            auto waiter = spawn("waiter", [](crossbeam::Receiver<int> rx, bool b) -> Task<void> {
                if (b) {
                    BlockingScope scope;
                    co_await rx.recv();
                } else {
                    co_await rx.recv();
                }
            }(std::move(rx), blocking));
            co_await sleep(kMs);
            auto other = spawn("other", [](Nanos& at) -> Task<void> {
                at = now();
                co_return;
            }(other_ran));
            co_await other;
            co_await waiter;
            co_await producer;
        }(blocking, other_ran));
        INFO("blocking " << blocking);
        if (blocking)
            CHECK(other_ran >= Nanos(5) * kMs.count());
        else
            CHECK(other_ran < Nanos(2) * kMs.count());
        // The wait_start says whether it held the worker.
        bool held = false;
        for (const Event& e : rt_test::of_kind(rec, EventKind::wait_start))
            if (e.as<payload::WaitStart>().op == WaitOp::recv)
                held = e.as<payload::WaitStart>().holds_worker;
        CHECK(held == blocking);
    }
}

TEST_CASE("OS threads get lanes of their own, reused once a thread ends", "[threads]") {
    Runtime rt(cfg(2));
    Recorder rec;
    rt.subscribe(rec);
    rt.block_on([]() -> Task<void> {
        BlockingScope blocking;
        for (int round = 0; round < 3; ++round) {
            auto a = spawn_thread("a", []() -> Task<void> { co_await sleep(kMs); }());
            auto b = spawn_thread("b", []() -> Task<void> { co_await work(kMs); }());
            co_await a;
            co_await b;
        }
    }());
    int thread_lanes = 0;
    for (const Event& e : rt_test::of_kind(rec, EventKind::worker_start))
        thread_lanes += e.as<payload::WorkerStart>().role == WorkerRole::thread;
    CHECK(thread_lanes == 2);  // six threads, at most two alive at once
    for (const Event& e : rt_test::of_kind(rec, EventKind::poll_start)) {
        if (e.task < 2) continue;  // the main task runs on a core worker
        CHECK(e.worker >= 2);
    }
}

TEST_CASE("crossbeam: a producer thread and four consumer threads, joined by a blocked task",
          "[crossbeam][threads]") {
    Runtime rt(cfg(4));
    int received = 0;
    rt.block_on([](int& received) -> Task<void> {
        auto [tx, rx] = crossbeam::bounded<int>(8, "jobs");
        std::vector<JoinHandle<void>> threads;
        for (int c = 0; c < 4; ++c)
            threads.push_back(spawn_thread(
                "consumer", [](crossbeam::Receiver<int> rx, int& received) -> Task<void> {
                    BlockingScope blocking;
                    while (co_await rx.recv())
                        ++received;
                }(rx.clone(), received)));
        rx.drop();
        threads.push_back(spawn_thread("producer", [](crossbeam::Sender<int> tx) -> Task<void> {
            BlockingScope blocking;
            for (int i = 0; i < 1000; ++i)
                co_await tx.send(i);
        }(std::move(tx))));
        BlockingScope blocking;
        for (auto& t : threads)
            co_await t;
    }(received));
    CHECK(rt.outcome() == RunOutcome::completed);
    CHECK(received == 1000);
}
