#pragma once
// Lane: the one small base every timeline lane derives from (worker thread,
// blocking thread, task, channel, the row of idle channels, lock or signal), after
// Tracy's timeline items: a label, a height, a paint() that draws only what is
// visible and never anything smaller than a pixel, and a hit-test for tooltips.
//
// State: a lane holds what identifies it (kind, the id it shows, its label texts
// and height), fixed when TimelineRenderer builds the lane list, and may keep
// indexes over the arrays it paints (mutable, brought up to date at each paint).
// The data it draws is read from the RunModel in the PaintContext at paint time, by
// id, so a model that grows during a live run never leaves a lane with a dangling
// pointer or a stale index.
// Lanes are painted from the GUI thread (or the exporting thread) only.

#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QRectF>
#include <QString>

#include <cstdint>
#include <vector>

#include "run_model.h"
#include "theme.h"
#include "time_axis.h"

namespace spindle::render {

/// What a paint call may read, built once per paint by TimelineRenderer.
/// Every pointer is set and outlives the paint call.
struct PaintContext {
    const Theme* theme = nullptr;
    const view::RunModel* model = nullptr;
    const QFont* font = nullptr;
    const QFontMetricsF* metrics = nullptr;
    const std::vector<QString>* task_names = nullptr;  ///< index = task id - 1
    const std::vector<double>* task_name_widths = nullptr;
    const std::vector<std::size_t>* task_name_tails = nullptr;  ///< view::label_tails of the names
    /// Jump over what merges below a pixel using the lanes' indexes (view::BlockMax);
    /// false walks every item in view, the straightforward way (kept as the reference
    /// the tests and the benchmark compare with). Both draw the same picture.
    bool indexed = true;
    TaskId selected_task = 0;          ///< 0: none
    ResourceId selected_resource = 0;  ///< 0: none
    /// Statistics of this paint (rectangles filled for slices and spans).
    mutable std::size_t blocks_drawn = 0;

    /// The cached display name of a task ("#id" when it has none).
    const QString& task_name(TaskId id) const;
    /// Width in pixels of task_name(id) in `font`.
    double task_name_width(TaskId id) const;
    /// task_name(id) fitted to `width` in `font` by view::short_label ("wo…3"); "" when
    /// nothing fits.
    QString short_task_name(TaskId id, double width) const;
    bool has_selection() const { return selected_task != 0 || selected_resource != 0; }
};

/// What lies under a point: a description for a tooltip, and what it refers to.
struct Hit {
    QString text;                 ///< the description ("" when nothing is there)
    TaskId task = 0;              ///< the task under the point, if any
    ResourceId resource = 0;      ///< the resource under the point, if any
    WorkerId worker = kNoWorker;  ///< the worker lane under the point, if any
    view::Time time = 0;          ///< the time at the point
    bool empty() const { return text.isEmpty(); }
};

/// Base of every timeline lane.
class Lane {
public:
    enum class Kind : std::uint8_t {
        worker,
        blocking,
        thread,
        task,
        channel,
        idle_channels,
        lock,
        rayon
    };

    Lane(Kind kind, QString label, QString detail, double height)
        : m_kind(kind), m_label(std::move(label)), m_detail(std::move(detail)), m_height(height) {}
    virtual ~Lane() = default;
    Lane(const Lane&) = delete;
    Lane& operator=(const Lane&) = delete;

    Kind kind() const { return m_kind; }
    /// The name shown in the label column ("thread 0", "producer", "jobs").
    const QString& label() const { return m_label; }
    /// Secondary text beside or under the label ("#3", "mpsc · cap 4").
    const QString& detail() const { return m_detail; }
    double height() const { return m_height; }
    /// Draw the label in the alert colour (a failed task).
    bool alert() const { return m_alert; }
    void set_alert(bool alert) { m_alert = alert; }

    /// Paints the lane into `rect` (the lane's time area: axis.x(t) + rect.left() is
    /// time t). Draws only what is visible; merges what is narrower than a pixel.
    virtual void paint(QPainter& p, const view::TimeAxis& axis, const QRectF& rect,
                       const PaintContext& ctx) const = 0;
    /// Describes what is under `pos` (inside `rect`), for a tooltip.
    virtual Hit hit_test(const view::TimeAxis& axis, const QRectF& rect, const QPointF& pos,
                         const PaintContext& ctx) const = 0;
    /// A one-line summary of the whole lane (tooltip over its label).
    virtual QString summary(const PaintContext& ctx) const = 0;
    /// Whether the current selection refers to this lane (its label is highlighted).
    virtual bool selected(const PaintContext& ctx) const = 0;
    /// Heap bytes of what the lane keeps to paint faster (its level-of-detail indexes).
    virtual std::size_t index_bytes() const { return 0; }

protected:
    /// Tolerance, in ns, of a hit-test at this zoom (a few pixels).
    static view::Time slop(const view::TimeAxis& axis, double px = 2.0) {
        return static_cast<view::Time>(axis.ns_per_px() * px) + 1;
    }

private:
    Kind m_kind;
    QString m_label;
    QString m_detail;
    double m_height;
    bool m_alert = false;
};

/// view::format_time(t) as a QString ("1.235 ms"), as tooltips show a time.
QString format_time(view::Time t);
/// view::format_duration(d) as a QString ("3.2 ms").
QString format_duration(view::Time d);
/// view::short_label measured with `fm`: `name` fitted to `width`, keeping whole the
/// tail starting at byte `tail` of its UTF-8 form.
QString short_label(const QString& name, std::size_t tail, double width, const QFontMetricsF& fm);

}  // namespace spindle::render
