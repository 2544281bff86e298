// The Charts view's data: channel occupancy clipped to a range, worker utilisation
// buckets, and the log-scale histograms of poll durations and scheduling delays.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <numeric>

#include "app_test_support.h"
#include "chart_data.h"
#include "run_model.h"
#include "spindle/core/ops.h"
#include "spindle/core/runtime.h"
#include "spindle/core/sleep.h"
#include "spindle/sync/mpsc.h"

using namespace spindle;
using namespace spindle::view;

namespace {

using app_test::ms;
using app_test::task_named;

constexpr Time kMs = 1'000'000;

/// A 20 ms CPU-bound "spinner" and a one-poll 1 ms "job" beside a producer filling a
/// capacity-2 channel that a consumer drains at 1 ms a message; then everybody idles
/// for 5 ms.
void run_mixed(RunModel& model) {
    RuntimeConfig c;
    c.workers = 3;
    Runtime rt(c);
    rt.subscribe(model);
    rt.block_on([]() -> Task<void> {
        auto spinner = spawn("spinner", []() -> Task<void> { co_await work(ms(20)); }());
        auto job = spawn("job", []() -> Task<void> { co_await work(ms(1)); }());
        auto [tx, rx] = mpsc::channel<int>(2, "pipe");
        auto consumer = spawn("consumer", [](mpsc::Receiver<int> rx) -> Task<void> {
            while (co_await rx.recv())
                co_await work(ms(1));
        }(std::move(rx)));
        for (int i = 0; i < 6; ++i)
            co_await tx.send(i);
        tx.drop();
        co_await consumer;
        co_await spinner;
        co_await job;
        co_await sleep(ms(5));
    }());
}

std::uint64_t polls_starting_in(const RunModel& m, Time t0, Time t1, TaskId task = 0) {
    std::uint64_t n = 0;
    for (const WorkerTrack& w : m.workers())
        for (const PollSlice& p : w.polls)
            if (p.start >= t0 && p.start < t1 && (task == 0 || p.task == task)) ++n;
    return n;
}

std::uint64_t bucket_sum(const LogHistogram& h) {
    std::uint64_t n = 0;
    for (const LogHistogram::Bucket& b : h.buckets)
        n += b.count;
    return n;
}

void check_ordered(const LogHistogram& h) {
    CHECK(h.min <= h.p50);
    CHECK(h.p50 <= h.p90);
    CHECK(h.p90 <= h.p99);
    CHECK(h.p99 <= h.max);
}

}  // namespace

TEST_CASE("log buckets are powers of two from 1 us, percentiles nearest-rank", "[app][charts]") {
    CHECK(LogHistogram::bucket_index(0) == 0);
    CHECK(LogHistogram::bucket_index(999) == 0);
    CHECK(LogHistogram::bucket_index(1'000) == 1);
    CHECK(LogHistogram::bucket_index(1'999) == 1);
    CHECK(LogHistogram::bucket_index(2'000) == 2);
    CHECK(LogHistogram::bucket_index(kMs) == 10);
    CHECK(LogHistogram::bucket_lower(10) == 512'000);
    CHECK(LogHistogram::bucket_upper(10) == 1'024'000);
    CHECK(LogHistogram::bucket_upper(60) == std::numeric_limits<Time>::max());

    std::vector<Time> samples(100);
    for (std::size_t i = 0; i < samples.size(); ++i)
        samples[i] = static_cast<Time>(100 - i) * 1'000;  // 100 µs down to 1 µs
    const LogHistogram h = LogHistogram::from_samples(samples);
    CHECK(h.count == 100);
    CHECK(bucket_sum(h) == 100);
    CHECK(h.min == 1'000);
    CHECK(h.p50 == 50'000);
    CHECK(h.p90 == 90'000);
    CHECK(h.p99 == 99'000);
    CHECK(h.max == 100'000);
    CHECK(h.total == 5'050'000);
    REQUIRE(h.buckets.size() == 7);  // [1, 2) µs .. [64, 128) µs
    CHECK(h.buckets.front().lower == 1'000);
    CHECK(h.buckets.front().count == 1);
    CHECK(h.buckets.back().upper == 128'000);
    CHECK(h.buckets.back().count == 37);  // 64..100 µs

    std::vector<Time> none;
    const LogHistogram empty = LogHistogram::from_samples(none);
    CHECK(empty.count == 0);
    CHECK(empty.buckets.empty());
    CHECK(empty.bucket_of(kMs) == nullptr);
}

TEST_CASE("poll-duration histogram counts every poll starting in the range", "[app][charts]") {
    RunModel m;
    run_mixed(m);
    REQUIRE(m.finished());
    const Time end = m.end_time();

    const LogHistogram all = poll_durations(m, 0, end + 1);
    CHECK(all.count == polls_starting_in(m, 0, end + 1));
    CHECK(bucket_sum(all) == all.count);
    check_ordered(all);
    CHECK(all.max >= 20 * kMs);  // the spinner's one long poll

    // The job's single poll (1 ms of work plus the poll cost) lands in [512 µs, 1024 µs).
    const TaskInfo* job = task_named(m, "job");
    REQUIRE(job);
    REQUIRE(job->polls == 1);
    const LogHistogram one = poll_durations(m, 0, end + 1, job->id);
    CHECK(one.count == 1);
    CHECK(one.max == job->busy);
    CHECK(one.p50 == one.max);
    CHECK(one.max >= kMs);
    REQUIRE(one.buckets.size() == 1);
    CHECK(one.buckets[0].lower == 512'000);
    CHECK(one.buckets[0].upper == 1'024'000);
    CHECK(one.buckets[0].count == 1);
    const LogHistogram::Bucket* in_all = all.bucket_of(job->busy);
    REQUIRE(in_all);
    CHECK(in_all->lower == 512'000);
    CHECK(in_all->count >= 1);

    // Selection: the consumer's polls only.
    const TaskInfo* consumer = task_named(m, "consumer");
    REQUIRE(consumer);
    const LogHistogram mine = poll_durations(m, 0, end + 1, consumer->id);
    CHECK(mine.count == consumer->polls);
    CHECK(mine.total == consumer->busy);
    CHECK(mine.count < all.count);
    check_ordered(mine);

    // A window in the middle: only the polls that start inside it.
    const Time t0 = 2 * kMs, t1 = 5 * kMs;
    const LogHistogram mid = poll_durations(m, t0, t1);
    CHECK(mid.count == polls_starting_in(m, t0, t1));
    CHECK(mid.count < all.count);
    CHECK(poll_durations(m, t0, t1, consumer->id).count ==
          polls_starting_in(m, t0, t1, consumer->id));
    CHECK(poll_durations(m, t1, t0).count == 0);
}

TEST_CASE("scheduling delays run from a wake to the next poll", "[app][charts]") {
    RunModel m;
    run_mixed(m);
    const Time end = m.end_time();
    std::uint64_t resolved = 0;
    for (const WakeArrow& a : m.wakes())
        resolved += a.to_time >= 0 ? 1 : 0;
    const LogHistogram all = scheduling_delays(m, 0, end + 1);
    CHECK(all.count == resolved);
    CHECK(bucket_sum(all) == all.count);
    check_ordered(all);

    const TaskInfo* consumer = task_named(m, "consumer");
    REQUIRE(consumer);
    std::uint64_t consumer_wakes = 0;
    for (const WakeArrow& a : m.wakes())
        consumer_wakes += a.to_time >= 0 && a.woken == consumer->id ? 1 : 0;
    const LogHistogram mine = scheduling_delays(m, 0, end + 1, consumer->id);
    CHECK(mine.count == consumer_wakes);
    CHECK(mine.count > 0);
    CHECK(mine.count < all.count);
}

TEST_CASE("utilisation is 1 for a worker polling all along, 0 for a parked one", "[app][charts]") {
    RunModel m;
    run_mixed(m);
    const TaskInfo* spinner = task_named(m, "spinner");
    REQUIRE(spinner);
    // The spinner's single long poll.
    const PollSlice* spin = nullptr;
    WorkerId spin_worker = 0;
    for (const WorkerTrack& w : m.workers())
        for (const PollSlice& p : w.polls)
            if (p.task == spinner->id && (!spin || p.end - p.start > spin->end - spin->start)) {
                spin = &p;
                spin_worker = w.id;
            }
    REQUIRE(spin);
    REQUIRE(spin->end - spin->start >= 20 * kMs);

    const Time t0 = spin->start + kMs, t1 = spin->end - kMs;
    const Utilisation u = worker_utilisation(m, t0, t1, 50);
    REQUIRE(u.edges.size() == 51);
    CHECK(u.edges.front() == t0);
    CHECK(u.edges.back() == t1);
    REQUIRE(u.workers.size() == m.workers().size());
    const UtilisationSeries& busy = u.workers[spin_worker];
    for (double f : busy.fraction)
        CHECK(f == 1.0);

    // During the final sleep every worker is parked.
    const Time s0 = m.end_time() - 4 * kMs, s1 = m.end_time() - kMs;
    const Utilisation idle = worker_utilisation(m, s0, s1, 10);
    for (const UtilisationSeries& w : idle.workers)
        for (Time b : w.busy)
            CHECK(b == 0);

    // Exact: over any range the buckets add up to the poll time overlapping it.
    const Time r0 = 3 * kMs + 123, r1 = 17 * kMs + 4'567;
    const Utilisation part = worker_utilisation(m, r0, r1, 37);
    for (const UtilisationSeries& s : part.workers) {
        Time expected = 0;
        for (const PollSlice& p : m.workers()[s.worker].polls)
            expected += std::max<Time>(0, std::min(p.end, r1) - std::max(p.start, r0));
        CHECK(std::accumulate(s.busy.begin(), s.busy.end(), Time{0}) == expected);
        for (double f : s.fraction) {
            CHECK(f >= 0.0);
            CHECK(f <= 1.0);
        }
    }
    CHECK(part.workers[0].task_busy.empty());

    // A selected task's share: its poll time, within each worker's busy time.
    const Utilisation mine = worker_utilisation(m, 0, m.end_time() + 1, 16, spinner->id);
    Time spinner_busy = 0;
    for (const UtilisationSeries& s : mine.workers) {
        REQUIRE(s.task_busy.size() == s.busy.size());
        for (std::size_t j = 0; j < s.busy.size(); ++j) {
            CHECK(s.task_busy[j] <= s.busy[j]);
            CHECK(s.task_fraction[j] <= s.fraction[j]);
            spinner_busy += s.task_busy[j];
        }
    }
    CHECK(spinner_busy == spinner->busy);

    // A range shorter than the bucket count in ns gets one bucket per ns.
    CHECK(worker_utilisation(m, 10, 15, 100).edges.size() == 6);
}

TEST_CASE("a utilisation bucket is found by time, half-open, inside the range only",
          "[app][charts]") {
    RunModel m;
    run_mixed(m);
    const Utilisation u = worker_utilisation(m, 1000, 2000, 10);  // 100 ns buckets
    REQUIRE(u.edges.size() == 11);
    CHECK_FALSE(u.bucket_at(999));
    CHECK(u.bucket_at(1000) == std::size_t{0});
    CHECK(u.bucket_at(1099) == std::size_t{0});
    CHECK(u.bucket_at(1100) == std::size_t{1});
    CHECK(u.bucket_at(1999) == std::size_t{9});
    CHECK_FALSE(u.bucket_at(2000));
    CHECK_FALSE(Utilisation{}.bucket_at(0));
}

TEST_CASE("channel occupancy is clipped to the range and keeps its capacity", "[app][charts]") {
    RunModel m;
    run_mixed(m);
    const ResourceTrack* pipe = nullptr;
    for (const ResourceTrack& r : m.resources())
        if (r.name == "pipe") pipe = &r;
    REQUIRE(pipe);
    REQUIRE(pipe->length.size() > 4);

    // Whole run: starts at creation, ends empty at the run's end.
    const auto whole = channel_occupancy(m, 0, m.end_time() + kMs);
    REQUIRE(whole.size() == 1);
    CHECK(whole[0].id == pipe->id);
    CHECK(whole[0].capacity == std::optional<std::uint32_t>(2));
    CHECK(whole[0].max_len == 2);
    CHECK(whole[0].points.front().time == pipe->created);
    CHECK(whole[0].points.back().time == m.end_time());
    CHECK(whole[0].points.back().len == 0);

    // A window strictly inside the channel's life, cutting through its steps.
    const Time t0 = pipe->length[2].time + 1, t1 = pipe->length[4].time + 1;
    const auto cut = channel_occupancy(m, t0, t1, pipe->id);
    REQUIRE(cut.size() == 1);
    const auto& pts = cut[0].points;
    REQUIRE(pts.size() >= 2);
    CHECK(pts.front().time == t0);
    CHECK(pts.front().len == pipe->length[2].len);
    CHECK(pts.back().time == t1);
    CHECK(pts.back().len == pipe->length[4].len);
    for (std::size_t i = 0; i < pts.size(); ++i) {
        CHECK(pts[i].time >= t0);
        CHECK(pts[i].time <= t1);
        if (i) CHECK(pts[i - 1].time <= pts[i].time);
    }
    // Selecting another resource (or none that exists) leaves the channel out.
    CHECK(channel_occupancy(m, t0, t1, pipe->id + 1000).empty());
    CHECK(channel_occupancy(m, pipe->created - 10, pipe->created).empty());
}

TEST_CASE("chart data is the same for the same run", "[app][charts]") {
    RunModel a, b;
    run_mixed(a);
    run_mixed(b);
    const ChartQuery q{0, a.end_time(), 0, 0, 64};
    const ChartData x = compute_charts(a, q);
    const ChartData y = compute_charts(b, q);
    CHECK(x.poll_durations.count == y.poll_durations.count);
    CHECK(x.poll_durations.p99 == y.poll_durations.p99);
    CHECK(x.scheduling_delays.total == y.scheduling_delays.total);
    REQUIRE(x.utilisation.workers.size() == y.utilisation.workers.size());
    for (std::size_t i = 0; i < x.utilisation.workers.size(); ++i)
        CHECK(x.utilisation.workers[i].busy == y.utilisation.workers[i].busy);
    REQUIRE(x.occupancy.size() == y.occupancy.size());
    CHECK(x.occupancy[0].points.size() == y.occupancy[0].points.size());
}
