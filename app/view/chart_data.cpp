#include "chart_data.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace spindle::view {

namespace {

constexpr Time kMicro = 1'000;
/// Past this bucket the upper edge no longer fits in an int64 ns.
constexpr int kLastExactBucket = 53;

/// Nearest-rank percentile of sorted, non-empty samples: the smallest value with at
/// least `pct` % of the samples at or below it.
Time percentile(const std::vector<Time>& sorted, std::uint64_t pct) {
    const std::uint64_t n = sorted.size();
    const std::uint64_t rank = std::max<std::uint64_t>(1, (pct * n + 99) / 100);
    return sorted[static_cast<std::size_t>(std::min(rank, n) - 1)];
}

/// Index of the first poll of `w` that ends after `t0` (polls are sorted and disjoint,
/// so their ends are sorted too).
std::size_t first_poll_ending_after(const WorkerTrack& w, Time t0) {
    auto it = std::partition_point(w.polls.begin(), w.polls.end(),
                                   [t0](const PollSlice& p) { return p.end <= t0; });
    return static_cast<std::size_t>(it - w.polls.begin());
}

}  // namespace

std::optional<std::size_t> Utilisation::bucket_at(Time t) const {
    if (edges.size() < 2 || t < edges.front() || t >= edges.back()) return std::nullopt;
    const auto it = std::upper_bound(edges.begin(), edges.end(), t);
    return static_cast<std::size_t>(it - edges.begin()) - 1;
}

int LogHistogram::bucket_index(Time d) {
    if (d < kMicro) return 0;
    return static_cast<int>(std::bit_width(static_cast<std::uint64_t>(d / kMicro)));
}

Time LogHistogram::bucket_lower(int k) {
    if (k <= 0) return 0;
    return k - 1 > kLastExactBucket ? std::numeric_limits<Time>::max() : kMicro << (k - 1);
}

Time LogHistogram::bucket_upper(int k) {
    if (k < 0) return 0;
    return k > kLastExactBucket ? std::numeric_limits<Time>::max() : kMicro << k;
}

const LogHistogram::Bucket* LogHistogram::bucket_of(Time d) const {
    for (const Bucket& b : buckets)
        if (d >= b.lower && d < b.upper) return &b;
    return nullptr;
}

LogHistogram LogHistogram::from_samples(std::vector<Time>& samples) {
    LogHistogram h;
    if (samples.empty()) return h;
    std::sort(samples.begin(), samples.end());
    h.count = samples.size();
    for (Time s : samples)
        h.total += s;
    h.min = samples.front();
    h.max = samples.back();
    h.p50 = percentile(samples, 50);
    h.p90 = percentile(samples, 90);
    h.p99 = percentile(samples, 99);
    const int first = bucket_index(h.min);
    const int last = bucket_index(h.max);
    h.buckets.reserve(static_cast<std::size_t>(last - first + 1));
    for (int k = first; k <= last; ++k)
        h.buckets.push_back({bucket_lower(k), bucket_upper(k), 0});
    // Samples are sorted: walk the buckets alongside them.
    std::size_t b = 0;
    for (Time s : samples) {
        while (s >= h.buckets[b].upper)
            ++b;
        ++h.buckets[b].count;
    }
    return h;
}

std::vector<OccupancySeries> channel_occupancy(const RunModel& model, Time t0, Time t1,
                                               ResourceId only) {
    std::vector<OccupancySeries> out;
    if (t1 <= t0) return out;
    for (const ResourceTrack& r : model.resources()) {
        if (r.id == 0 || !r.is_channel() || r.length.empty()) continue;
        if (only != 0 && r.id != only) continue;
        const Time start = std::max(t0, r.length.front().time);
        if (start >= t1) continue;
        // The line stops at the run's (latest) end when the range reaches past it; a
        // change exactly there is then shown, while one at t1 is outside [t0, t1).
        const bool clipped_by_run = model.end_time() < t1;
        const Time stop = std::max(start, std::min(t1, model.end_time()));
        const auto by_time = [](const LenPoint& p, Time t) { return p.time < t; };

        OccupancySeries s;
        s.id = r.id;
        s.name = r.name;
        s.kind = r.kind;
        if (r.capacity != kUnbounded) s.capacity = r.capacity;
        // The length in force at `start`: the last step at or before it.
        auto it = std::upper_bound(r.length.begin(), r.length.end(), start,
                                   [](Time t, const LenPoint& p) { return t < p.time; });
        const auto last =
            clipped_by_run ? std::upper_bound(r.length.begin(), r.length.end(), stop,
                                              [](Time t, const LenPoint& p) { return t < p.time; })
                           : std::lower_bound(r.length.begin(), r.length.end(), stop, by_time);
        s.points.reserve(static_cast<std::size_t>(std::max<std::ptrdiff_t>(last - it, 0)) + 2);
        s.points.push_back({start, std::prev(it)->len});
        for (; it < last; ++it)
            s.points.push_back(*it);
        if (s.points.back().time < stop) s.points.push_back({stop, s.points.back().len});
        for (const LenPoint& p : s.points)
            s.max_len = std::max(s.max_len, p.len);
        out.push_back(std::move(s));
    }
    return out;
}

Utilisation worker_utilisation(const RunModel& model, Time t0, Time t1, int buckets, TaskId task) {
    Utilisation u;
    if (t1 <= t0 || buckets <= 0) return u;
    const Time span = t1 - t0;
    // Integer edges that split the span as evenly as possible; capped so that no
    // bucket is empty and span % n * i cannot overflow.
    const Time n = std::min<Time>({buckets, span, 1'000'000});
    const Time q = span / n;
    const Time rem = span % n;
    u.edges.resize(static_cast<std::size_t>(n) + 1);
    for (Time i = 0; i <= n; ++i)
        u.edges[static_cast<std::size_t>(i)] = t0 + q * i + rem * i / n;

    u.workers.reserve(model.workers().size());
    for (const WorkerTrack& w : model.workers()) {
        UtilisationSeries s;
        s.worker = w.id;
        s.role = w.role;
        s.busy.assign(static_cast<std::size_t>(n), 0);
        if (task != 0) s.task_busy.assign(s.busy.size(), 0);
        std::size_t b = 0;
        for (std::size_t i = first_poll_ending_after(w, t0); i < w.polls.size(); ++i) {
            const PollSlice& p = w.polls[i];
            if (p.start >= t1) break;
            const Time a = std::max(p.start, t0);
            const Time z = std::min(p.end, t1);
            if (z <= a) continue;
            while (u.edges[b + 1] <= a)
                ++b;  // polls are sorted: b only moves forward
            const bool mine = task != 0 && p.task == task;
            for (std::size_t j = b; j < s.busy.size() && u.edges[j] < z; ++j) {
                const Time overlap = std::min(z, u.edges[j + 1]) - std::max(a, u.edges[j]);
                s.busy[j] += overlap;
                if (mine) s.task_busy[j] += overlap;
            }
        }
        const auto fractions = [&u](const std::vector<Time>& ns) {
            std::vector<double> f(ns.size());
            for (std::size_t j = 0; j < ns.size(); ++j)
                f[j] =
                    static_cast<double>(ns[j]) / static_cast<double>(u.edges[j + 1] - u.edges[j]);
            return f;
        };
        s.fraction = fractions(s.busy);
        s.task_fraction = fractions(s.task_busy);
        u.workers.push_back(std::move(s));
    }
    return u;
}

LogHistogram poll_durations(const RunModel& model, Time t0, Time t1, TaskId task) {
    std::vector<Time> samples;
    if (t1 > t0) {
        for (const WorkerTrack& w : model.workers()) {
            auto it = std::partition_point(w.polls.begin(), w.polls.end(),
                                           [t0](const PollSlice& p) { return p.start < t0; });
            for (; it != w.polls.end() && it->start < t1; ++it)
                if (task == 0 || it->task == task) samples.push_back(it->end - it->start);
        }
    }
    return LogHistogram::from_samples(samples);
}

LogHistogram scheduling_delays(const RunModel& model, Time t0, Time t1, TaskId task) {
    std::vector<Time> samples;
    if (t1 > t0) {
        const auto& wakes = model.wakes();  // in event order, so sorted by from_time
        auto it = std::partition_point(wakes.begin(), wakes.end(),
                                       [t0](const WakeArrow& a) { return a.from_time < t0; });
        for (; it != wakes.end() && it->from_time < t1; ++it)
            if (it->to_time >= 0 && (task == 0 || it->woken == task))
                samples.push_back(it->to_time - it->from_time);
    }
    return LogHistogram::from_samples(samples);
}

ChartData compute_charts(const RunModel& model, const ChartQuery& query) {
    ChartData d;
    d.start = query.start;
    d.end = query.end;
    d.occupancy = channel_occupancy(model, query.start, query.end, query.resource);
    d.utilisation = worker_utilisation(model, query.start, query.end, query.buckets, query.task);
    d.poll_durations = poll_durations(model, query.start, query.end, query.task);
    d.scheduling_delays = scheduling_delays(model, query.start, query.end, query.task);
    return d;
}

}  // namespace spindle::view
