#pragma once
// ChartData: what the Charts view plots for a visible range of one run — channel
// occupancy steps, worker utilisation over time, and log-scale histograms of poll
// durations and scheduling delays (tokio-console's two histograms).
//
// State: none kept. Each function reads a finished or live RunModel (borrowed for
// the call only) and returns values it owns. Times are integer ns and every figure
// is exact and deterministic: bucket edges are integer divisions of the range,
// percentiles are nearest-rank values of the samples. Lookups binary-search the
// model's time-sorted vectors (polls per worker, length steps, wake arrows), so a
// call costs the events inside the range plus a logarithm, never the whole run.
// Plain C++: no Qt.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "run_model.h"

namespace spindle::view {

/// One channel's buffer length over the range, as step points: the length in force at
/// the first point's time until the next point's. The last point closes the line at the
/// range end (or the run end, if sooner) and repeats the previous length.
struct OccupancySeries {
    ResourceId id = 0;
    std::string name;
    ResourceKind kind = ResourceKind::mpsc;
    std::optional<std::uint32_t> capacity;  ///< none when unbounded
    std::vector<LenPoint> points;           ///< time-sorted, inside [t0, t1]
    std::uint32_t max_len = 0;              ///< the largest length within the range
};

/// Per worker, how much of each bucket of the range it spent polling.
struct UtilisationSeries {
    WorkerId worker = 0;
    WorkerRole role = WorkerRole::core;
    std::vector<Time> busy;        ///< ns of poll time inside each bucket
    std::vector<double> fraction;  ///< busy / bucket width, in [0, 1]
    /// With a selected task: the part of `busy` spent polling it, and that over the bucket
    /// width (both empty without one).
    std::vector<Time> task_busy;
    std::vector<double> task_fraction;
};

struct Utilisation {
    std::vector<Time> edges;  ///< bucket boundaries: buckets + 1 values from t0 to t1
    std::vector<UtilisationSeries> workers;

    /// The bucket holding time t ([edges[k], edges[k + 1])), or none outside [t0, t1).
    std::optional<std::size_t> bucket_at(Time t) const;
};

/// A histogram of durations over power-of-two buckets starting at 1 µs: bucket 0 holds
/// [0, 1 µs), bucket k ≥ 1 holds [2^(k-1) µs, 2^k µs).
struct LogHistogram {
    struct Bucket {
        Time lower = 0;  ///< inclusive, ns
        Time upper = 0;  ///< exclusive, ns
        std::uint64_t count = 0;
    };
    /// From the first non-empty bucket to the last (empty ones in between kept); empty
    /// when there are no samples.
    std::vector<Bucket> buckets;
    std::uint64_t count = 0;  ///< samples; the sum of the bucket counts
    Time total = 0;           ///< sum of the samples
    Time min = 0;
    Time p50 = 0;  ///< nearest-rank percentiles of the samples (0 when none)
    Time p90 = 0;
    Time p99 = 0;
    Time max = 0;

    /// The index k of the bucket holding `d` (see above).
    static int bucket_index(Time d);
    /// [lower, upper) of bucket k.
    static Time bucket_lower(int k);
    static Time bucket_upper(int k);
    /// The bucket of `buckets` holding `d`, or null when it lies outside them.
    const Bucket* bucket_of(Time d) const;
    /// Builds the histogram from samples (reordered in place).
    static LogHistogram from_samples(std::vector<Time>& samples);
};

/// Everything the Charts view shows for one range and selection.
struct ChartData {
    Time start = 0;
    Time end = 0;
    std::vector<OccupancySeries> occupancy;
    Utilisation utilisation;
    LogHistogram poll_durations;
    LogHistogram scheduling_delays;
};

/// What to compute: the range [start, end) and an optional selection.
struct ChartQuery {
    Time start = 0;
    Time end = 0;
    TaskId task = 0;          ///< 0: all tasks; else histograms of this task, and its share
                              ///< of the utilisation
    ResourceId resource = 0;  ///< 0: every channel; else occupancy shows this one only
    int buckets = 100;        ///< utilisation buckets (fewer if the range is shorter in ns)
};

/// Per channel (mpsc, oneshot, broadcast, watch) existing in [t0, t1): its length steps
/// clipped to the range, in resource id order. `only`: that channel alone (0: all).
std::vector<OccupancySeries> channel_occupancy(const RunModel& model, Time t0, Time t1,
                                               ResourceId only = 0);

/// Per worker, the poll time overlapping each of `buckets` equal parts of [t0, t1), and
/// the part of it that polled `task` (unless 0).
Utilisation worker_utilisation(const RunModel& model, Time t0, Time t1, int buckets,
                               TaskId task = 0);

/// Durations of the polls starting in [t0, t1) (of task `task` only, unless 0).
LogHistogram poll_durations(const RunModel& model, Time t0, Time t1, TaskId task = 0);

/// Wake → next poll start, for wakes in [t0, t1) whose task was polled again (of
/// woken task `task` only, unless 0).
LogHistogram scheduling_delays(const RunModel& model, Time t0, Time t1, TaskId task = 0);

/// All four for `query`.
ChartData compute_charts(const RunModel& model, const ChartQuery& query);

}  // namespace spindle::view
