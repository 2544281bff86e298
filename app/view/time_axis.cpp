#include "time_axis.h"

#include <algorithm>
#include <cmath>

namespace spindle::view {

void TimeAxis::set(Time start, Time end, double width_px) {
    if (end - start < kMinSpan) end = start + kMinSpan;
    m_start = start;
    m_end = end;
    set_width(width_px);
}

void TimeAxis::zoom(double factor, double anchor_x) {
    if (!(factor > 0)) return;
    const Time anchor = time(anchor_x);
    const double new_span = std::max<double>(kMinSpan, static_cast<double>(span()) / factor);
    const double left = (anchor_x / m_width) * new_span;
    m_start = anchor - static_cast<Time>(std::llround(left));
    m_end = m_start + static_cast<Time>(std::llround(new_span));
}

void TimeAxis::pan(double dx) {
    const auto shift = static_cast<Time>(std::llround(dx * ns_per_px()));
    m_start += shift;
    m_end += shift;
}

void TimeAxis::fit(Time start, Time end, bool margin) {
    Time span = std::max<Time>(end - start, kMinSpan);
    const Time pad = margin ? span / 50 : 0;
    set(start - pad, start + span + pad, m_width);
}

void TimeAxis::fit_run(Time end, double right_px) {
    end = std::max<Time>(end, 1);
    const double room = std::clamp(right_px, 0.0, m_width / 2);
    const double span = static_cast<double>(end) * m_width / (m_width - room);
    set(0, static_cast<Time>(std::ceil(span)), m_width);
}

void TimeAxis::keep_on_run(Time end) {
    end = std::max<Time>(end, 1);
    const Time span = std::min(this->span(), end * kMaxRunSpans + kMinSpan);
    // Half a view past the end at most; then never before 0 (which wins when the
    // view is wider than twice the run).
    const Time start = std::max<Time>(std::min(m_start, end - span / 2), 0);
    set(start, start + span, m_width);
}

TimeAxis::Time TimeAxis::tick_step(double min_px) const {
    const double min_ns = min_px * ns_per_px();
    Time step = 1;
    while (true) {
        for (Time m : {1, 2, 5})
            if (static_cast<double>(step * m) >= min_ns) return step * m;
        if (step > (Time{1} << 60) / 10) return step;
        step *= 10;
    }
}

std::vector<TimeAxis::Tick> TimeAxis::ticks(double min_px) const {
    const Time step = tick_step(min_px);
    const Time minor = step >= 5 ? step / 5 : step;
    std::vector<Tick> out;
    Time t = (m_start / minor) * minor;
    if (t < m_start) t += minor;
    for (; t <= m_end && out.size() < 4000; t += minor)
        out.push_back(Tick{t, x(t), t % step == 0});
    return out;
}

}  // namespace spindle::view
