#pragma once
// TimeAxis: the mapping between virtual time and horizontal pixels of a view.
//
// A value type: the visible range [start, end) in ns and the pixel width it is
// drawn into. Zooming keeps the time under an anchor pixel fixed; panning
// shifts by pixels; both clamp to a minimum span so the view never collapses.
// Tick choice gives round ruler steps (1, 2, 5 × 10^k ns) for any zoom; their
// labels come from time_format.h.
//
// A view on a run (fit_run, keep_on_run) never shows negative time: a run starts
// at 0, and the time before it is not a place to look at.

#include <cstdint>
#include <vector>

namespace spindle::view {

class TimeAxis {
public:
    using Time = std::int64_t;
    static constexpr Time kMinSpan = 100;  ///< ns: the deepest zoom

    TimeAxis() = default;
    TimeAxis(Time start, Time end, double width_px) { set(start, end, width_px); }

    void set(Time start, Time end, double width_px);
    void set_width(double width_px) { m_width = width_px > 1 ? width_px : 1; }

    Time start() const { return m_start; }
    Time end() const { return m_end; }
    Time span() const { return m_end - m_start; }
    double width() const { return m_width; }
    double ns_per_px() const { return static_cast<double>(span()) / m_width; }

    double x(Time t) const { return static_cast<double>(t - m_start) / ns_per_px(); }
    Time time(double x) const { return m_start + static_cast<Time>(x * ns_per_px()); }

    /// Zooms by `factor` (> 1 zooms in) keeping the time at pixel `anchor_x` in place.
    void zoom(double factor, double anchor_x);
    /// Moves the view by `dx` pixels (positive: later times come into view).
    void pan(double dx);
    /// Shows [start, end) (with a small margin when `margin` is set).
    void fit(Time start, Time end, bool margin = true);
    /// Shows a whole run ending at `end`: from 0, with `right_px` pixels after
    /// the end (room for the playhead's label there).
    void fit_run(Time end, double right_px = 0);
    /// Keeps the view on a run ending at `end`: it starts at 0 or later, is at
    /// most kMaxRunSpans runs wide, and is panned at most half a view past the end.
    void keep_on_run(Time end);
    /// How far out a view on a run may zoom, in lengths of the run.
    static constexpr Time kMaxRunSpans = 4;

    /// Ruler ticks: a round step so that labels are at least `min_px` apart.
    struct Tick {
        Time time;
        double x;
        bool major;
    };
    std::vector<Tick> ticks(double min_px = 80) const;
    /// The major tick step currently used (ns).
    Time tick_step(double min_px = 80) const;

private:
    Time m_start = 0;
    Time m_end = 1'000'000;
    double m_width = 1000;
};

}  // namespace spindle::view
