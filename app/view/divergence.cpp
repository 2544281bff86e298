#include "divergence.h"

namespace spindle::view {

namespace {

/// `events` without a leading run_start.
std::span<const Event> body(std::span<const Event> events) {
    if (!events.empty() && events.front().kind == EventKind::run_start) return events.subspan(1);
    return events;
}

}  // namespace

bool same_event(const Event& x, std::string_view text_x, const Event& y, std::string_view text_y) {
    Event a = x;
    a.seq = y.seq;
    a.text = y.text;
    return a == y && text_x == text_y;
}

bool same_event(const Event& x, const Event& y) {
    Event a = x;
    a.seq = y.seq;
    return a == y;
}

std::optional<Divergence> first_divergence(const EventStream& sa, const EventStream& sb) {
    const std::span<const Event> a = body(sa.events);
    const std::span<const Event> b = body(sb.events);
    const bool texts = !sa.texts.empty() && !sb.texts.empty();
    auto same = [&](const Event& x, const Event& y) {
        return texts ? same_event(x, sa.text(x.text), y, sb.text(y.text)) : same_event(x, y);
    };
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && same(a[i], b[i]))
        ++i;
    if (i == a.size() && i == b.size()) return std::nullopt;
    Divergence d;
    d.index = i;
    d.a_ended = i == a.size();
    d.b_ended = i == b.size();
    d.time_a = d.a_ended ? (a.empty() ? 0 : a.back().time_ns) : a[i].time_ns;
    d.time_b = d.b_ended ? (b.empty() ? 0 : b.back().time_ns) : b[i].time_ns;
    return d;
}

std::optional<Divergence> first_divergence(std::span<const Event> a, std::span<const Event> b) {
    return first_divergence(EventStream{a, {}}, EventStream{b, {}});
}

}  // namespace spindle::view
