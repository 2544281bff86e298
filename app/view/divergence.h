#pragma once
// first_divergence: where two runs of one scenario stop doing the same thing — the
// first event that differs between their event streams, for the compare view's
// marker. Plain functions over event lists; no state, no Qt.
//
// Two events are the same when every field but `seq` matches (kind, time, worker,
// task, object, count, detail, text id, arg). Each stream's run_start is skipped:
// it carries the seed and the settings, which differ by design between the two
// schedules being compared.

#include <cstddef>
#include <optional>
#include <span>

#include "spindle/instrument/event.h"
#include "time_format.h"

namespace spindle::view {

/// The first point where two event streams differ.
struct Divergence {
    std::size_t index = 0;  ///< of the first differing event, counted after run_start
    Time time_a = 0;        ///< its time in stream a (a's last event's when a has ended there)
    Time time_b = 0;        ///< likewise in b
    bool a_ended = false;   ///< a has no event at `index`: b goes on where a stopped
    bool b_ended = false;
};

/// Whether `x` and `y` are the same event, ignoring their positions (seq).
bool same_event(const Event& x, const Event& y);

/// The first event where `a` and `b` differ (ignoring seq and run_start), or nothing
/// when they are the same event for event.
std::optional<Divergence> first_divergence(std::span<const Event> a, std::span<const Event> b);

}  // namespace spindle::view
