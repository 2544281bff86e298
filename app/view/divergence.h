#pragma once
// first_divergence: where two runs of one scenario stop doing the same thing — the
// first event that differs between their event streams, for the compare view's
// marker. Plain functions over event lists; no state, no Qt.
//
// Two events are the same when every field but `seq` matches (kind, time, worker,
// task, object, count, detail, arg) and they say the same text. Each run numbers
// its texts in the order it first uses them, so two schedules (two traces) give the
// same text different ids: texts are compared through each stream's own string
// table, ids only when a stream comes without one. Each stream's run_start is
// skipped: it carries the seed and the settings, which differ by design between
// the two schedules being compared.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "spindle/instrument/event.h"
#include "time_format.h"

namespace spindle::view {

/// A run's events and the string table their text ids index (a Trace's `texts`).
struct EventStream {
    std::span<const Event> events;
    /// Indexed by TextId; empty: the stream's texts are unknown (ids are compared).
    std::span<const std::string> texts;

    /// The text of `id` ("" for an id the table does not have).
    std::string_view text(TextId id) const {
        return id < texts.size() ? std::string_view(texts[id]) : std::string_view();
    }
};

/// The first point where two event streams differ.
struct Divergence {
    std::size_t index = 0;  ///< of the first differing event, counted after run_start
    Time time_a = 0;        ///< its time in stream a (a's last event's when a has ended there)
    Time time_b = 0;        ///< likewise in b
    bool a_ended = false;   ///< a has no event at `index`: b goes on where a stopped
    bool b_ended = false;
};

/// Whether `x` and `y` are the same event, ignoring their positions (seq) and
/// their text ids: their texts `text_x`, `text_y` are compared instead.
bool same_event(const Event& x, std::string_view text_x, const Event& y, std::string_view text_y);

/// Whether `x` and `y` are the same event, ignoring their positions (seq); text ids
/// compared as they are (for two events of one stream).
bool same_event(const Event& x, const Event& y);

/// The first event where `a` and `b` differ (ignoring seq and run_start), or nothing
/// when they are the same event for event. Texts are compared when both streams
/// have a string table, else text ids.
std::optional<Divergence> first_divergence(const EventStream& a, const EventStream& b);

/// The same, comparing text ids (two streams sharing one string table).
std::optional<Divergence> first_divergence(std::span<const Event> a, std::span<const Event> b);

}  // namespace spindle::view
