#include "timeline/timeline_renderer.h"

#include <QGuiApplication>

#include <algorithm>
#include <cmath>

#include "lane/channel_lane.h"
#include "lane/idle_channels_lane.h"
#include "lane/lock_lane.h"
#include "lane/race_marks_painter.h"
#include "lane/task_lane.h"
#include "lane/worker_lane.h"
#include "lane_plan.h"
#include "legend_flow.h"
#include "short_label.h"
#include "thread_life.h"
#include "time_format.h"
#include "timeline/critical_path_overlay.h"
#include "worker_names.h"

namespace spindle::render {

namespace {

constexpr double kPad = 12;             ///< left padding of labels and the title
constexpr double kTickLabelMinPx = 96;  ///< ruler labels at least this far apart
constexpr double kEmptyHeight = 48;     ///< the "no events" row of an empty run
constexpr double kLegendGap = 18;       ///< between two legend entries

QFont make_font(int px, bool bold) {
    QFont f = QGuiApplication::font();
    f.setStyleHint(QFont::SansSerif);
    f.setPixelSize(px);
    f.setBold(bold);
    return f;
}

QString section_name(TimelineRenderer::Section s) {
    switch (s) {
        case TimelineRenderer::Section::workers:
            return QStringLiteral("WORKER THREADS");
        case TimelineRenderer::Section::blocking:
            return QStringLiteral("BLOCKING THREADS");
        case TimelineRenderer::Section::threads:
            return QStringLiteral("OS THREADS");
        case TimelineRenderer::Section::rayon:
            return QStringLiteral("RAYON POOLS");
        case TimelineRenderer::Section::tasks:
            return QStringLiteral("TASKS");
        case TimelineRenderer::Section::channels:
            return QStringLiteral("CHANNELS");
        case TimelineRenderer::Section::locks:
            return QStringLiteral("LOCKS AND SIGNALS");
    }
    return {};
}

TimelineRenderer::Section section_of(Lane::Kind k) {
    switch (k) {
        case Lane::Kind::worker:
            return TimelineRenderer::Section::workers;
        case Lane::Kind::blocking:
            return TimelineRenderer::Section::blocking;
        case Lane::Kind::thread:
            return TimelineRenderer::Section::threads;
        case Lane::Kind::rayon:
            return TimelineRenderer::Section::rayon;
        case Lane::Kind::task:
            return TimelineRenderer::Section::tasks;
        case Lane::Kind::channel:
        case Lane::Kind::idle_channels:
            return TimelineRenderer::Section::channels;
        case Lane::Kind::lock:
            return TimelineRenderer::Section::locks;
    }
    return TimelineRenderer::Section::workers;
}

QString channel_detail(const view::ResourceTrack& r) {
    const QString kind = QString::fromLatin1(to_string(r.kind));
    if (r.kind == ResourceKind::watch || r.kind == ResourceKind::oneshot) return kind;
    if (r.capacity == kUnbounded) return kind + QStringLiteral(" · unbounded");
    return kind + QStringLiteral(" · cap %1").arg(r.capacity);
}

}  // namespace

TimelineRenderer::TimelineRenderer(const view::RunModel& model, const Theme& theme)
    : m_model(model),
      m_theme(theme),
      m_font(make_font(theme.font_px, false)),
      m_bold(make_font(theme.font_px, true)),
      m_small(make_font(theme.font_px - 1, false)),
      m_title_font(make_font(theme.title_font_px, true)),
      m_metrics(m_font) {
    rebuild();
}

void TimelineRenderer::set_title(const QString& name, const QString& note, bool alert) {
    m_title = name;
    m_note = note;
    m_note_alert = alert;
    layout();
}

void TimelineRenderer::set_options(const RenderOptions& options) {
    m_options = options;
    if (m_options.critical_path_task != m_path_task) {
        m_path_task = m_options.critical_path_task;
        m_path = m_path_task ? view::critical_path(m_model, m_path_task)
                             : std::vector<view::PathSegment>{};
    }
    layout();
}

void TimelineRenderer::rebuild() {
    m_lanes.clear();
    const auto& tasks = m_model.tasks();
    m_task_names.assign(tasks.size(), QString());
    m_task_name_widths.assign(tasks.size(), 0.0);
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const auto id = static_cast<TaskId>(i + 1);
        m_task_names[i] = tasks[i].name.empty() ? QStringLiteral("task #%1").arg(id)
                                                : QString::fromStdString(tasks[i].name);
        m_task_name_widths[i] = m_metrics.horizontalAdvance(m_task_names[i]);
    }
    {
        std::vector<std::string> names;
        names.reserve(m_task_names.size());
        for (const QString& n : m_task_names)
            names.push_back(n.toStdString());
        m_task_name_tails = view::label_tails(names);
    }

    // Which lanes, in what order: view::plan_lanes (idle channels folded into one
    // row, a request's channel under the task that created it).
    const view::LanePlan plan = view::plan_lanes(m_model);
    m_worker_lane.assign(m_model.workers().size(), -1);
    m_lane_section.clear();
    int blocking_n = 0, thread_n = 0;
    for (const view::PlannedLane& planned : plan.lanes) {
        using PK = view::PlannedLane::Kind;
        switch (planned.kind) {
            case PK::worker:
            case PK::blocking:
            case PK::thread:
            case PK::rayon: {
                const auto id = static_cast<WorkerId>(planned.id);
                m_worker_lane[id] = static_cast<int>(m_lanes.size());
                const WorkerRole role = planned.kind == PK::blocking ? WorkerRole::blocking
                                        : planned.kind == PK::thread ? WorkerRole::thread
                                        : planned.kind == PK::rayon  ? WorkerRole::rayon
                                                                     : WorkerRole::core;
                QString label;
                if (role == WorkerRole::rayon) {  // "<pool> <i>"
                    label = QString::fromStdString(view::worker_name(m_model, id));
                } else {
                    label = role == WorkerRole::blocking
                                ? QStringLiteral("blocking %1").arg(blocking_n++)
                            : role == WorkerRole::thread
                                ? QStringLiteral("os thread %1").arg(++thread_n)
                                : QStringLiteral("thread %1").arg(id);
                }
                m_lanes.push_back(std::make_unique<WorkerLane>(
                    id, role, label, QString(),
                    role == WorkerRole::core || role == WorkerRole::rayon
                        ? m_theme.worker_height
                        : m_theme.blocking_height));
                break;
            }
            case PK::task: {
                const auto id = static_cast<TaskId>(planned.id);
                const view::TaskInfo& t = tasks[id - 1];
                auto lane = std::make_unique<TaskLane>(
                    id, m_task_names[id - 1],
                    t.flavor == TaskFlavor::blocking ? QStringLiteral("#%1 blocking").arg(id)
                    : t.flavor == TaskFlavor::local  ? QStringLiteral("#%1 local").arg(id)
                                                     : QStringLiteral("#%1").arg(id),
                    m_theme.task_height);
                lane->set_alert(t.outcome == TaskOutcome::failed);
                m_lanes.push_back(std::move(lane));
                break;
            }
            case PK::channel: {
                const view::ResourceTrack& r = *m_model.resource(planned.id);
                QString name = r.name.empty() ? QStringLiteral("channel #%1").arg(r.id)
                                              : QString::fromStdString(r.name);
                if (planned.owner != 0) name = QStringLiteral("\u21B3 ") + name;  // under its task
                m_lanes.push_back(std::make_unique<ChannelLane>(
                    r.id, name, channel_detail(r),
                    r.kind == ResourceKind::oneshot || r.kind == ResourceKind::watch
                        ? m_theme.small_channel_height
                        : m_theme.channel_height));
                break;
            }
            case PK::idle_channels:
                m_lanes.push_back(std::make_unique<IdleChannelsLane>(plan.idle_channels,
                                                                     m_theme.task_height + 2));
                break;
        }
        m_lane_section.push_back(planned.section == view::PlannedLane::Section::tasks
                                     ? Section::tasks
                                     : section_of(m_lanes.back()->kind()));
    }
    m_deadlock.rebuild(m_model);

    add_lock_lanes();

    // The label column fits the longest label (within the theme's bounds).
    const QFontMetricsF small(m_small), bold(m_bold);
    double widest =
        bold.horizontalAdvance(section_name(Section::blocking) + QStringLiteral(" (99)"));
    for (const auto& lane : m_lanes) {
        const double label = m_metrics.horizontalAdvance(lane->label());
        const double detail =
            lane->detail().isEmpty() ? 0 : small.horizontalAdvance(lane->detail());
        widest = std::max(widest, lane->height() >= 34 ? std::max(label, detail)
                                                       : label + (detail > 0 ? detail + 10 : 0));
    }
    m_label_width =
        std::clamp(std::ceil(widest + 2 * kPad), m_theme.min_label_width, m_theme.max_label_width);
    layout();
}

void TimelineRenderer::add_lock_lanes() {
    // One lane per lock or signal, in the order the run created them.
    for (const view::ResourceTrack& r : m_model.resources()) {
        if (r.id == 0 || !view::is_lock_kind(r.kind)) continue;
        QString detail = QString::fromLatin1(to_string(r.kind));
        if (r.kind == ResourceKind::semaphore)
            detail += QStringLiteral(" · %1 permits").arg(r.capacity);
        else if (r.kind == ResourceKind::barrier)
            detail += QStringLiteral(" · %1 parties").arg(r.capacity);
        m_lanes.push_back(std::make_unique<LockLane>(
            r.id,
            r.name.empty()
                ? QStringLiteral("%1 #%2").arg(QString::fromLatin1(to_string(r.kind))).arg(r.id)
                : QString::fromStdString(r.name),
            detail, m_theme.lock_height));
        m_lane_section.push_back(Section::locks);
    }
}

void TimelineRenderer::layout() {
    const Theme& th = m_theme;
    m_header_height =
        (m_options.title ? th.title_height + (m_note.isEmpty() ? 0 : th.note_height) : 0) +
        (m_options.ruler ? th.ruler_height : 0);
    m_rows.clear();
    m_lane_row.assign(m_lanes.size(), -1);
    double y = m_header_height;
    for (Section s : {Section::workers, Section::blocking, Section::threads, Section::rayon,
                      Section::tasks, Section::locks, Section::channels}) {
        if (s == Section::tasks && !m_options.tasks) continue;
        if (s == Section::channels && !m_options.channels) continue;
        if (s == Section::locks && !m_options.locks) continue;
        int count = 0;
        // The tasks' header counts tasks, not the channels drawn under them; the
        // channels' header counts every channel, the idle ones in their one row too.
        for (std::size_t i = 0; i < m_lanes.size(); ++i) {
            if (shown_in(i) != s) continue;
            if (m_lanes[i]->kind() == Lane::Kind::idle_channels)
                count += static_cast<int>(
                    static_cast<const IdleChannelsLane&>(*m_lanes[i]).channels().size());
            else
                count += s != Section::tasks || m_lanes[i]->kind() == Lane::Kind::task;
        }
        if (count == 0) continue;
        m_rows.push_back(Row{y, th.section_height, -1, s, count});
        y += th.section_height;
        if (s == Section::tasks && m_options.tasks_collapsed) continue;
        for (std::size_t i = 0; i < m_lanes.size(); ++i) {
            if (shown_in(i) != s) continue;
            m_lane_row[i] = static_cast<int>(m_rows.size());
            m_rows.push_back(Row{y, m_lanes[i]->height(), static_cast<int>(i), s, 0});
            y += m_lanes[i]->height();
        }
    }
    if (m_rows.empty()) y += kEmptyHeight;
    m_content_height = y + (m_options.legend ? th.legend_height : 0);
}

std::optional<TimelineRenderer::Section> TimelineRenderer::shown_in(std::size_t lane) const {
    const bool channel = m_lanes[lane]->kind() == Lane::Kind::channel ||
                         m_lanes[lane]->kind() == Lane::Kind::idle_channels;
    if (channel && !m_options.channels) return std::nullopt;
    // A channel drawn under its task joins the channels when the tasks are hidden.
    if (channel && m_lane_section[lane] == Section::tasks && !m_options.tasks)
        return Section::channels;
    return m_lane_section[lane];
}

view::Time TimelineRenderer::room_after_end() const {
    const view::Time end = m_model.end_time();
    return m_deadlock.empty() ? end / 50 : DeadlockOverlay::room_after(end);
}

view::TimeAxis TimelineRenderer::make_axis(view::Time start, view::Time end,
                                           double total_width) const {
    return view::TimeAxis(start, end, std::max(total_width - label_width(), 1.0));
}

double TimelineRenderer::lanes_bottom() const {
    return m_rows.empty() ? m_header_height + kEmptyHeight : m_rows.back().y + m_rows.back().height;
}

const TimelineRenderer::Row* TimelineRenderer::row_at(double y) const {
    auto it = std::partition_point(m_rows.begin(), m_rows.end(),
                                   [y](const Row& r) { return r.y + r.height <= y; });
    return it != m_rows.end() && it->y <= y ? &*it : nullptr;
}

int TimelineRenderer::lane_at(double y) const {
    const Row* r = row_at(y);
    return r ? r->lane : -1;
}

std::optional<TimelineRenderer::Section> TimelineRenderer::section_at(double y) const {
    const Row* r = row_at(y);
    if (r && r->lane < 0) return r->section;
    return std::nullopt;
}

QRectF TimelineRenderer::lane_rect(const view::TimeAxis& axis, int lane) const {
    if (lane < 0 || static_cast<std::size_t>(lane) >= m_lane_row.size() || m_lane_row[lane] < 0)
        return {};
    const Row& r = m_rows[static_cast<std::size_t>(m_lane_row[lane])];
    return QRectF(label_width(), r.y, axis.width(), r.height);
}

int TimelineRenderer::worker_lane(WorkerId worker) const {
    return worker < m_worker_lane.size() ? m_worker_lane[worker] : -1;
}

PaintContext TimelineRenderer::context() const {
    PaintContext ctx;
    ctx.theme = &m_theme;
    ctx.model = &m_model;
    ctx.font = &m_font;
    ctx.metrics = &m_metrics;
    ctx.task_names = &m_task_names;
    ctx.task_name_widths = &m_task_name_widths;
    ctx.task_name_tails = &m_task_name_tails;
    ctx.selected_task = m_options.selected_task;
    ctx.selected_resource = m_options.selected_resource;
    ctx.indexed = m_indexed;
    return ctx;
}

std::size_t TimelineRenderer::index_bytes() const {
    std::size_t bytes = 0;
    for (const auto& lane : m_lanes)
        bytes += lane->index_bytes();
    return bytes;
}

// ---- Title ----------------------------------------------------------------------

QString TimelineRenderer::outcome_text(QColor* colour) const {
    const auto& o = m_model.run().outcome;
    if (!m_status && !o) {
        *colour = m_theme.text_dim;
        return m_model.finished() || m_model.run().events == 0 ? QStringLiteral("did not run")
                                                               : QStringLiteral("running…");
    }
    // The word and its mark come from the one table of outcomes (session/outcome.h).
    const session::RunStatus status = m_status ? *m_status : session::status_of(*o);
    switch (session::severity(status)) {
        case session::Severity::ok:
            *colour = m_theme.ok;
            break;
        case session::Severity::info:
            *colour = m_theme.text_dim;
            break;
        case session::Severity::warn:
            *colour = m_theme.warn;
            break;
        case session::Severity::alert:
            *colour = m_theme.alert;
            break;
    }
    const std::string_view word = session::word(status);
    return QString::fromUtf8(word.data(), static_cast<qsizetype>(word.size()));
}

QString TimelineRenderer::title_text() const {
    QString name = m_title;
    if (name.isEmpty()) {
        // run_start's configuration begins with "scenario=NAME " when the host set a label.
        const std::string& config = m_model.run().config;
        if (config.rfind("scenario=", 0) == 0) {
            const auto end = config.find(" workers=");
            name =
                QString::fromStdString(config.substr(9, end == std::string::npos ? end : end - 9));
        }
    }
    if (name.isEmpty()) name = QStringLiteral("run");
    const view::RunInfo& run = m_model.run();
    QColor colour;
    const QString outcome = outcome_text(&colour);
    return QStringLiteral("%1 — seed %2 · %3 worker%4 · %5 · %6 · %7 · %8 events")
        .arg(name)
        .arg(run.seed)
        .arg(run.workers)
        .arg(run.workers == 1 ? QString() : QStringLiteral("s"),
             QString::fromLatin1(to_string(run.policy)), outcome, format_duration(run.end))
        .arg(run.events);
}

void TimelineRenderer::paint_title(QPainter& p, double width) const {
    const Theme& th = m_theme;
    // "name — details", the outcome in its colour. Split the text around the outcome.
    const QString text = title_text();
    const auto dash = text.indexOf(QStringLiteral(" — "));
    const QString name = text.left(dash);
    QColor outcome_colour;
    const QString outcome = outcome_text(&outcome_colour);
    const QString rest = text.mid(dash);
    const auto at = rest.indexOf(QStringLiteral(" · ") + outcome + QStringLiteral(" · "));
    const QString before = at < 0 ? rest : rest.left(at + 3);
    const QString after = at < 0 ? QString() : rest.mid(at + 3 + outcome.size());

    double x = kPad;
    p.setFont(m_title_font);
    p.setPen(th.text);
    p.drawText(QRectF(x, 0, width, th.title_height), Qt::AlignVCenter | Qt::AlignLeft, name);
    x += QFontMetricsF(m_title_font).horizontalAdvance(name);
    p.setFont(m_font);
    auto part = [&](const QString& s, const QColor& c, const QFont& f) {
        p.setFont(f);
        p.setPen(c);
        p.drawText(QRectF(x, 1, std::max(width - x, 0.0), th.title_height),
                   Qt::AlignVCenter | Qt::AlignLeft, s);
        x += QFontMetricsF(f).horizontalAdvance(s);
    };
    part(before, th.text_dim, m_font);
    if (at >= 0) {
        part(outcome, outcome_colour, m_bold);
        part(after, th.text_dim, m_font);
    }
    if (!m_note.isEmpty()) {
        p.setFont(m_font);
        p.setPen(m_note_alert ? th.alert : th.text_dim);
        const QRectF note(kPad, th.title_height - 6, width - 2 * kPad, th.note_height);
        p.drawText(note, Qt::AlignVCenter | Qt::AlignLeft,
                   m_metrics.elidedText(m_note, Qt::ElideRight, note.width()));
    }
}

// ---- Ruler ----------------------------------------------------------------------

void TimelineRenderer::paint_ruler(QPainter& p, const view::TimeAxis& axis, double y) const {
    const Theme& th = m_theme;
    const double h = th.ruler_height;
    const double x0 = label_width();
    if (x0 > 0) {
        p.fillRect(QRectF(0, y, x0, h), th.label_column);
        p.setFont(m_small);
        p.setPen(th.text_dim);
        p.drawText(QRectF(0, y, x0 - kPad, h), Qt::AlignVCenter | Qt::AlignRight,
                   QStringLiteral("time"));
    }
    const view::Time step = axis.tick_step(kTickLabelMinPx);
    const auto ticks = axis.ticks(kTickLabelMinPx);
    p.save();
    p.setClipRect(QRectF(x0, y, axis.width(), h), Qt::IntersectClip);
    p.setFont(m_small);
    const QFontMetricsF fm(m_small);
    const QPen tick_pen(th.text_dim, 1);
    for (const view::TimeAxis::Tick& t : ticks) {
        const double x = std::round(x0 + t.x) + 0.5;
        p.setPen(tick_pen);
        p.drawLine(QPointF(x, y + h - (t.major ? 9 : 4)), QPointF(x, y + h));
        if (!t.major) continue;
        const QString label = QString::fromStdString(view::format_time(t.time, step));
        if (x + 4 + fm.horizontalAdvance(label) > x0 + axis.width()) continue;  // would be cut
        p.setPen(th.text);
        p.drawText(QRectF(x + 4, y + 2, kTickLabelMinPx, h - 8), Qt::AlignVCenter | Qt::AlignLeft,
                   label);
    }
    p.restore();
    p.setPen(QPen(th.separator, 1));
    p.drawLine(QPointF(0, y + h - 0.5), QPointF(x0 + axis.width(), y + h - 0.5));
}

// ---- Lanes ----------------------------------------------------------------------

void TimelineRenderer::paint_rows(QPainter& p, const view::TimeAxis& axis, const QRectF& clip,
                                  const PaintContext& ctx) const {
    const Theme& th = m_theme;
    const double x0 = label_width();
    const double width = x0 + axis.width();
    auto visible = [&](const Row& r) {
        return clip.isNull() || (r.y < clip.bottom() && r.y + r.height > clip.top());
    };

    if (m_rows.empty()) {
        p.setFont(m_font);
        p.setPen(th.text_dim);
        p.drawText(QRectF(x0 + kPad, m_header_height, axis.width(), kEmptyHeight),
                   Qt::AlignVCenter | Qt::AlignLeft, QStringLiteral("No events: nothing ran."));
        return;
    }

    // Backgrounds: section headers, alternating lanes.
    int parity = 0;
    for (const Row& r : m_rows) {
        if (r.lane < 0) {
            parity = 0;
            if (!visible(r)) continue;
            const QRectF band(0, r.y, width, r.height);
            p.fillRect(band, th.section);
            p.setFont(m_bold);
            p.setPen(th.text_dim);
            QString text = section_name(r.section) + QStringLiteral("  %1").arg(r.count);
            if (r.section == Section::tasks)
                text = (m_options.tasks_collapsed ? QStringLiteral("▸ ") : QStringLiteral("▾ ")) +
                       text;
            p.drawText(band.adjusted(kPad, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
            continue;
        }
        if (parity++ % 2 == 1 && visible(r))
            p.fillRect(QRectF(0, r.y, width, r.height), th.lane_alt);
    }

    // Grid: a faint line at every major tick, behind the lanes.
    const double top = m_header_height;
    const double bottom = lanes_bottom();
    p.setPen(QPen(th.grid, 1));
    for (const view::TimeAxis::Tick& t : axis.ticks(kTickLabelMinPx)) {
        if (!t.major) continue;
        const double x = std::round(x0 + t.x) + 0.5;
        p.drawLine(QPointF(x, top), QPointF(x, bottom));
    }

    for (const Row& r : m_rows) {
        if (r.lane < 0 || !visible(r)) continue;
        const QRectF rect(x0, r.y, axis.width(), r.height);
        p.save();
        p.setClipRect(rect, Qt::IntersectClip);
        m_lanes[static_cast<std::size_t>(r.lane)]->paint(p, axis, rect, ctx);
        p.restore();
    }
}

void TimelineRenderer::paint_labels(QPainter& p, const QRectF& clip,
                                    const PaintContext& ctx) const {
    const Theme& th = m_theme;
    const double w = label_width();
    const QFontMetricsF small(m_small);
    for (const Row& r : m_rows) {
        if (r.lane < 0) continue;
        if (!clip.isNull() && (r.y >= clip.bottom() || r.y + r.height <= clip.top())) continue;
        const Lane& lane = *m_lanes[static_cast<std::size_t>(r.lane)];
        const QRectF cell(0, r.y, w, r.height);
        const bool selected = lane.selected(ctx);
        p.fillRect(cell, selected ? th.selection_band : th.label_column);
        const QRectF inner = cell.adjusted(kPad, 0, -kPad / 2, 0);
        const QColor colour = lane.alert() ? th.alert : th.text;
        p.setFont(selected ? m_bold : m_font);
        p.setPen(colour);
        if (lane.kind() == Lane::Kind::task) {
            // A swatch in the task's colour ties the label to its slices.
            const QRectF sw(3, r.y + r.height / 2 - 4, 6, 8);
            p.fillRect(sw, th.task_colour(static_cast<const TaskLane&>(lane).task()));
        }
        if (r.height >= 34 && !lane.detail().isEmpty()) {
            const QRectF top(inner.left(), r.y + 4, inner.width(), r.height / 2 - 2);
            const QRectF bottom(inner.left(), r.y + r.height / 2, inner.width(), r.height / 2 - 4);
            p.drawText(top, Qt::AlignVCenter | Qt::AlignLeft,
                       m_metrics.elidedText(lane.label(), Qt::ElideRight, top.width()));
            p.setFont(m_small);
            p.setPen(th.text_dim);
            p.drawText(bottom, Qt::AlignVCenter | Qt::AlignLeft,
                       small.elidedText(lane.detail(), Qt::ElideRight, bottom.width()));
            continue;
        }
        double detail_w = 0;
        if (!lane.detail().isEmpty()) {
            detail_w = small.horizontalAdvance(lane.detail());
            p.setFont(m_small);
            p.setPen(th.text_dim);
            p.drawText(inner, Qt::AlignVCenter | Qt::AlignRight, lane.detail());
            p.setFont(selected ? m_bold : m_font);
            p.setPen(colour);
        }
        const double label_w = std::max(inner.width() - detail_w - (detail_w > 0 ? 8 : 0), 0.0);
        p.drawText(QRectF(inner.left(), inner.top(), label_w, inner.height()),
                   Qt::AlignVCenter | Qt::AlignLeft,
                   m_metrics.elidedText(lane.label(), Qt::ElideRight, label_w));
    }
    p.setPen(QPen(th.separator, 1));
    p.drawLine(QPointF(w - 0.5, m_header_height - (m_options.ruler ? m_theme.ruler_height : 0)),
               QPointF(w - 0.5, lanes_bottom()));
}

view::WakePlan TimelineRenderer::wake_plan(const view::TimeAxis& axis) const {
    // Task lanes when they are shown: waker to woken always crosses lanes.
    view::WakeLanes lanes;
    lanes.tasks = m_options.tasks && !m_options.tasks_collapsed;
    lanes.y.assign(lanes.tasks ? m_model.tasks().size() : m_model.workers().size(),
                   view::WakeLanes::kHidden);
    for (std::size_t i = 0; i < m_lanes.size(); ++i) {
        if (m_lane_row[i] < 0) continue;
        const Row& r = m_rows[static_cast<std::size_t>(m_lane_row[i])];
        const Lane& lane = *m_lanes[i];
        std::size_t slot = lanes.y.size();
        if (lanes.tasks && lane.kind() == Lane::Kind::task)
            slot = static_cast<const TaskLane&>(lane).task() - 1;
        else if (!lanes.tasks &&
                 (lane.kind() == Lane::Kind::worker || lane.kind() == Lane::Kind::blocking ||
                  lane.kind() == Lane::Kind::thread || lane.kind() == Lane::Kind::rayon))
            slot = static_cast<const WorkerLane&>(lane).worker();
        if (slot < lanes.y.size()) lanes.y[slot] = r.y + r.height / 2;
    }
    return view::plan_wake_lines(m_model.wakes(), axis, lanes, m_options.selected_task,
                                 m_options.hovered_task);
}

void TimelineRenderer::paint_deadlock(QPainter& p, const view::TimeAxis& axis,
                                      const PaintContext& ctx) const {
    if (m_deadlock.empty()) return;
    auto row_of = [&](auto match) -> std::optional<QRectF> {
        for (std::size_t i = 0; i < m_lanes.size(); ++i)
            if (m_lane_row[i] >= 0 && match(*m_lanes[i])) {
                const Row& r = m_rows[static_cast<std::size_t>(m_lane_row[i])];
                return QRectF(label_width(), r.y, axis.width(), r.height);
            }
        return std::nullopt;
    };
    const DeadlockOverlay::TaskRow task_row = [&](TaskId id) {
        return row_of([id](const Lane& l) {
            return l.kind() == Lane::Kind::task && static_cast<const TaskLane&>(l).task() == id;
        });
    };
    // The lock's own lane, when the timeline has one (the arrow points into it).
    const DeadlockOverlay::ResourceRow resource_row = [&](ResourceId id) {
        return row_of([id](const Lane& l) {
            return l.kind() == Lane::Kind::lock && static_cast<const LockLane&>(l).resource() == id;
        });
    };
    const QRectF lanes(label_width(), m_header_height, axis.width(),
                       lanes_bottom() - m_header_height);
    m_deadlock.paint(p, axis, lanes, task_row, resource_row, ctx);
}

bool TimelineRenderer::paint_wakes(QPainter& p, const view::TimeAxis& axis) const {
    const view::WakePlan plan = wake_plan(axis);
    const double x0 = label_width();
    p.save();
    p.setClipRect(QRectF(x0, m_header_height, axis.width(), lanes_bottom() - m_header_height),
                  Qt::IntersectClip);
    p.setRenderHint(QPainter::Antialiasing, true);
    // With a focus among many arrows, the others step back.
    const TaskId focus[2] = {m_options.selected_task, m_options.hovered_task};
    const bool any_focus = focus[0] != 0 || focus[1] != 0;
    const QColor faint = blend(m_theme.wake, m_theme.background, 0.6);
    const auto& wakes = m_model.wakes();
    for (const view::WakeLine& line : plan.lines) {
        const view::WakeArrow& a = wakes[line.wake];
        bool focused = !any_focus;
        for (TaskId t : focus)
            focused |= t != 0 && (a.waker == t || a.woken == t);
        const QColor colour = focused ? m_theme.wake : faint;
        const QPointF from(x0 + line.x0, line.y0), to(x0 + line.x1, line.y1);
        // A dot on the waking poll, a line, a head on the woken task's next poll.
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawEllipse(from, 2.2, 2.2);
        p.setPen(QPen(colour, focused ? 1.4 : 1.1));
        p.setBrush(Qt::NoBrush);
        p.drawLine(from, to);
        const QPointF d = to - from;
        const double len = std::hypot(d.x(), d.y());
        if (len < 1) continue;
        const QPointF u = d / len, n(-u.y(), u.x());
        const double head = std::min(7.0, len / 2);
        const QPointF tip[3] = {to, to - u * head + n * head * 0.45,
                                to - u * head - n * head * 0.45};
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawConvexPolygon(tip, 3);
    }
    p.restore();
    return plan.dense;
}

void TimelineRenderer::paint_path(QPainter& p, const view::TimeAxis& axis) const {
    std::vector<double> lane_y(m_model.tasks().size(), -1.0);
    for (std::size_t i = 0; i < m_lanes.size(); ++i) {
        if (i >= m_lane_row.size() || m_lane_row[i] < 0) continue;
        if (m_lanes[i]->kind() != Lane::Kind::task) continue;
        const Row& r = m_rows[static_cast<std::size_t>(m_lane_row[i])];
        const TaskId task = static_cast<const TaskLane&>(*m_lanes[i]).task();
        if (task >= 1 && task <= lane_y.size()) lane_y[task - 1] = r.y + r.height / 2;
    }
    const double x0 = label_width();
    paint_critical_path(p, axis, m_path, lane_y, x0,
                        QRectF(x0, m_header_height, axis.width(), lanes_bottom() - m_header_height),
                        m_theme);
}

void TimelineRenderer::paint_playhead(QPainter& p, const view::TimeAxis& axis) const {
    const view::Time t = *m_options.playhead;
    if (t < axis.start() || t > axis.end()) return;
    const double x = label_width() + axis.x(t);
    const double top = m_header_height - (m_options.ruler ? m_theme.ruler_height : 0);
    p.setPen(QPen(m_theme.playhead, 1.5));
    p.drawLine(QPointF(x, top), QPointF(x, lanes_bottom()));
    if (!m_options.ruler) return;
    const QString text = format_time(t);
    const QFontMetricsF fm(m_small);
    const QRectF box(x + 1, top + 2, fm.horizontalAdvance(text) + 8, m_theme.ruler_height - 10);
    p.fillRect(box, m_theme.playhead);
    p.setFont(m_small);
    p.setPen(m_theme.text_light);
    p.drawText(box, Qt::AlignCenter, text);
}

std::vector<LegendEntry> TimelineRenderer::legend_entries(bool wakes_dense) const {
    const Theme& th = m_theme;
    const QFontMetricsF fm(m_small);
    std::vector<LegendEntry> out;
    auto add = [&](double mark_width, const QString& text,
                   std::function<void(QPainter&, double, double)> mark) {
        out.push_back(legend_entry(mark_width, text, fm, std::move(mark)));
    };
    auto swatch = [&](const QColor& c, double sh = 10) {
        return [c, sh](QPainter& p, double x, double cy) {
            p.fillRect(QRectF(x, cy - sh / 2, 14, sh), c);
        };
    };
    bool has_channels = false, has_locks = false, has_vacant_threads = false;
    for (const auto& lane : m_lanes) {
        has_channels |= lane->kind() == Lane::Kind::channel;
        has_locks |= lane->kind() == Lane::Kind::lock;
    }
    for (const view::WorkerTrack& w : m_model.workers())
        if (w.role == WorkerRole::thread && !view::vacancies(m_model, w.id).empty())
            has_vacant_threads = true;
    add(22, QStringLiteral("poll / running (colour per task)"),
        [&th = th](QPainter& p, double x, double cy) {
            for (int i = 0; i < 3; ++i)
                p.fillRect(QRectF(x + i * 6, cy - 5, 6, 10), th.task_colour(i + 1));
        });
    add(18, QStringLiteral("many short polls"), swatch(th.merged));
    add(18, QStringLiteral("parked"), [&th = th](QPainter& p, double x, double cy) {
        p.fillRect(QRectF(x, cy - 5, 14, 10), th.parked);
        p.fillRect(QRectF(x, cy - 5, 14, 10), QBrush(th.parked_hatch, Qt::BDiagPattern));
    });
    if (std::any_of(m_model.workers().begin(), m_model.workers().end(),
                    [](const view::WorkerTrack& w) { return !w.blocked.empty(); }))
        add(18, QStringLiteral("blocked in a call (holds its thread)"),
            [&th = th](QPainter& p, double x, double cy) {
                p.fillRect(QRectF(x, cy - 5, 14, 10), QBrush(th.blocked_hatch, Qt::BDiagPattern));
            });
    if (has_vacant_threads)
        add(18, QStringLiteral("OS thread ended"), [&th = th](QPainter& p, double x, double cy) {
            paint_thread_end_mark(p, th, x, cy, 14);
        });
    add(14, QStringLiteral("steal / lag"), [&th = th](QPainter& p, double x, double cy) {
        p.save();
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(Qt::NoPen);
        p.setBrush(th.steal);
        const QPointF tri[3] = {{x + 2, cy - 4}, {x + 10, cy - 4}, {x + 6, cy + 3}};
        p.drawConvexPolygon(tri, 3);
        p.restore();
    });
    if (m_options.tasks) {
        add(18, QStringLiteral("queued"), swatch(th.queued));
        add(18, QStringLiteral("waiting"), swatch(th.waiting));
        add(18, QStringLiteral("idle"), swatch(th.idle, 3));
        const auto& stats = m_model.summary().tasks();
        if (std::any_of(stats.begin(), stats.end(),
                        [](const RunSummary::Task& t) { return t.migrations > 0; }))
            add(18, QStringLiteral("migrated"), [&th = th](QPainter& p, double x, double cy) {
                p.fillRect(QRectF(x, cy - 5, 14, 10), th.task_colour(1));
                const QPointF notch[3] = {{x, cy - 5}, {x + 5, cy - 5}, {x, cy}};
                p.save();
                p.setPen(Qt::NoPen);
                p.setBrush(th.text);
                p.drawConvexPolygon(notch, 3);
                p.restore();
            });
        add(28, QStringLiteral("completed / failed"), [&th = th](QPainter& p, double x, double cy) {
            p.save();
            p.setRenderHint(QPainter::Antialiasing, true);
            p.setPen(Qt::NoPen);
            for (const QColor& c : {th.done, th.failed}) {
                p.setBrush(c);
                const QPointF d[4] = {{x + 5, cy - 5}, {x + 10, cy}, {x + 5, cy + 5}, {x, cy}};
                p.drawConvexPolygon(d, 4);
                x += 12;
            }
            p.restore();
        });
        if (!m_deadlock.empty()) {
            // Stuck waits and the cycle's arrows (DeadlockOverlay).
            add(18, QStringLiteral("stuck (deadlock)"),
                [&th = th](QPainter& p, double x, double cy) {
                    const QRectF sw(x, cy - 5, 14, 10);
                    p.fillRect(sw, th.waiting);
                    p.fillRect(sw, QBrush(blend(th.alert, th.waiting, 0.55), Qt::BDiagPattern));
                });
            add(18, QStringLiteral("waits for (lock or task)"),
                [&th = th](QPainter& p, double x, double cy) {
                    p.setPen(QPen(th.alert, 1.6));
                    p.drawLine(QPointF(x, cy), QPointF(x + 14, cy));
                });
        }
    }
    if (has_channels && m_options.channels) {
        add(18, QStringLiteral("buffered"), swatch(th.occupancy_fill));
        add(20, QStringLiteral("capacity"), [&th = th](QPainter& p, double x, double cy) {
            p.setPen(QPen(th.capacity, 1, Qt::DashLine));
            p.drawLine(QPointF(x, cy), QPointF(x + 16, cy));
        });
        add(18, QStringLiteral("sender blocked"), [&th = th](QPainter& p, double x, double cy) {
            p.fillRect(QRectF(x, cy - 5, 14, 10), th.blocked);
            p.fillRect(QRectF(x, cy - 5, 14, 3), th.blocked_strip);
        });
        add(16, QStringLiteral("send / recv"), [&th = th](QPainter& p, double x, double cy) {
            p.setPen(QPen(th.send_tick, 1.5));
            p.drawLine(QPointF(x + 3, cy - 5), QPointF(x + 3, cy + 1));
            p.setPen(QPen(th.recv_tick, 1.5));
            p.drawLine(QPointF(x + 9, cy - 1), QPointF(x + 9, cy + 5));
        });
    }
    if (has_locks && m_options.locks) {
        add(18, QStringLiteral("queued on a lock"), swatch(th.lock_wait));
        add(18, QStringLiteral("writer queued"), swatch(th.writer_wait));
    }
    if (m_options.tasks) add_race_legend(out, fm, th, m_model);
    if (!m_path.empty()) {
        const std::string_view name = m_model.task_name(m_path_task);
        const QString who =
            name.empty() ? QStringLiteral("task %1").arg(m_path_task)
                         : QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
        add(18, QStringLiteral("critical path of %1 (dashed: waiting)").arg(who),
            [&th = th](QPainter& p, double x, double cy) {
                p.setPen(QPen(th.warn, 3.2, Qt::SolidLine, Qt::FlatCap));
                p.drawLine(QPointF(x, cy), QPointF(x + 14, cy));
            });
        add(18, QStringLiteral("on it, queued while a worker sat idle"),
            [&th = th](QPainter& p, double x, double cy) {
                p.setPen(QPen(th.alert, 3.2, Qt::SolidLine, Qt::FlatCap));
                p.drawLine(QPointF(x, cy), QPointF(x + 14, cy));
            });
    }
    if (m_options.wake_arrows)
        add(18,
            wakes_dense ? QStringLiteral("wake → next poll (many: the selected or hovered task's)")
                        : QStringLiteral("wake → next poll"),
            [&th = th](QPainter& p, double x, double cy) {
                p.setPen(QPen(th.wake, 1.2));
                p.drawLine(QPointF(x, cy), QPointF(x + 14, cy));
            });
    return out;
}

std::vector<view::FlowPlace> TimelineRenderer::legend_places(
    const std::vector<LegendEntry>& entries, double width) const {
    std::vector<double> widths;
    widths.reserve(entries.size());
    for (const LegendEntry& e : entries)
        widths.push_back(e.width());
    return view::flow_rows(widths, width, kPad, kLegendGap);
}

double TimelineRenderer::legend_height(double width) const {
    if (!m_options.legend) return 0;
    // Measured with the longer wake text, so the picture always has room for it.
    const std::vector<LegendEntry> entries = legend_entries(true);
    return m_theme.legend_height * view::flow_row_count(legend_places(entries, width));
}

double TimelineRenderer::content_height(double width) const {
    return lanes_bottom() + legend_height(width);
}

void TimelineRenderer::paint_legend(QPainter& p, double y, double width, bool wakes_dense) const {
    const Theme& th = m_theme;
    const double h = th.legend_height;
    p.setPen(QPen(th.separator, 1));
    p.drawLine(QPointF(0, y + 0.5), QPointF(width, y + 0.5));
    p.setFont(m_small);
    const std::vector<LegendEntry> entries = legend_entries(wakes_dense);
    const std::vector<view::FlowPlace> places = legend_places(entries, width);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const LegendEntry& e = entries[i];
        const double top = y + places[i].row * h;
        const double x = places[i].x;
        p.save();
        e.mark(p, x, top + h / 2);
        p.restore();
        p.setPen(th.text_dim);
        p.drawText(QRectF(x + e.mark_width, top, e.text_width, h), Qt::AlignVCenter | Qt::AlignLeft,
                   e.text);
    }
}

// ---- Entry points ---------------------------------------------------------------

void TimelineRenderer::paint(QPainter& p, const view::TimeAxis& axis, const QRectF& clip) const {
    const PaintContext ctx = context();
    const double width = label_width() + axis.width();
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    const QRectF all(0, 0, width, content_height(width));
    p.fillRect(clip.isNull() ? all : all.intersected(clip), m_theme.background);
    double y = 0;
    if (m_options.title) {
        paint_title(p, width);
        y += m_theme.title_height + (m_note.isEmpty() ? 0 : m_theme.note_height);
    }
    if (m_options.ruler) paint_ruler(p, axis, y);
    paint_rows(p, axis, clip, ctx);
    paint_deadlock(p, axis, ctx);
    const bool wakes_dense = m_options.wake_arrows && paint_wakes(p, axis);
    if (!m_path.empty()) paint_path(p, axis);
    if (m_options.labels) paint_labels(p, clip, ctx);
    if (m_options.playhead) paint_playhead(p, axis);
    if (m_options.legend) paint_legend(p, lanes_bottom(), width, wakes_dense);
    p.restore();
    m_blocks_drawn = ctx.blocks_drawn;
}

Hit TimelineRenderer::hit_test(const view::TimeAxis& axis, const QPointF& pos) const {
    Hit hit;
    const double x0 = label_width();
    hit.time = axis.time(pos.x() - x0);
    const double title_h =
        m_options.title ? m_theme.title_height + (m_note.isEmpty() ? 0 : m_theme.note_height) : 0;
    if (pos.y() < title_h) {
        hit.text = title_text();
        if (!m_note.isEmpty()) hit.text += QLatin1Char('\n') + m_note;
        // A deadlock's headline is one short line: the whole report is here.
        if (!m_deadlock.empty())
            hit.text += QLatin1Char('\n') + QString::fromStdString(m_deadlock.view().details);
        return hit;
    }
    if (pos.y() < m_header_height) {
        if (pos.x() >= x0) hit.text = format_time(hit.time);
        return hit;
    }
    const Row* r = row_at(pos.y());
    if (!r) return hit;
    if (r->lane < 0) {
        hit.text = QStringLiteral("%1: %2").arg(section_name(r->section)).arg(r->count);
        if (r->section == Section::tasks) hit.text += QStringLiteral(" (click to collapse)");
        return hit;
    }
    const Lane& lane = *m_lanes[static_cast<std::size_t>(r->lane)];
    const PaintContext ctx = context();
    if (pos.x() < x0) {
        hit.text = lane.summary(ctx);
        switch (lane.kind()) {
            case Lane::Kind::worker:
            case Lane::Kind::blocking:
            case Lane::Kind::thread:
            case Lane::Kind::rayon:
                hit.worker = static_cast<const WorkerLane&>(lane).worker();
                break;
            case Lane::Kind::task:
                hit.task = static_cast<const TaskLane&>(lane).task();
                break;
            case Lane::Kind::channel:
                hit.resource = static_cast<const ChannelLane&>(lane).resource();
                break;
            case Lane::Kind::lock:
                hit.resource = static_cast<const LockLane&>(lane).resource();
                break;
            case Lane::Kind::idle_channels:
                break;
        }
        return hit;
    }
    if (lane.kind() == Lane::Kind::task) {
        // A stuck wait runs on past the run's end, where the lane has no span.
        const TaskId task = static_cast<const TaskLane&>(lane).task();
        const QString stuck = m_deadlock.describe(task, hit.time, ctx);
        if (!stuck.isEmpty()) {
            hit.text = stuck;
            hit.task = task;
            if (const view::StuckWait* s = m_deadlock.view().stuck_task(task);
                s && s->waits.size() == 1 && s->waits.front().op != WaitOp::join &&
                s->waits.front().op != WaitOp::sleep)
                hit.resource = s->waits.front().resource;
            return hit;
        }
    }
    return lane.hit_test(axis, QRectF(x0, r->y, axis.width(), r->height), pos, ctx);
}

}  // namespace spindle::render
