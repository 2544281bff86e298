#include "timeline_view.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "gui_theme.h"

#include "lane/channel_lane.h"
#include "lane/lane.h"
#include "lane/task_lane.h"
#include "timeline/timeline_renderer.h"

namespace spindle::ui {

namespace {
constexpr double kZoomStep = 1.25;  ///< one +/- key press or wheel notch
constexpr double kClickSlop = 4;    ///< pixels a press may move and still be a click
}  // namespace

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setBackgroundRole(QPalette::Base);
    m_vscroll = new QScrollBar(Qt::Vertical, this);
    m_vscroll->hide();
    connect(m_vscroll, &QScrollBar::valueChanged, this, [this](int v) {
        if (std::lround(m_scroll) != v) set_scroll(v);
    });
}

TimelineView::~TimelineView() = default;

void TimelineView::apply_theme() {
    if (m_model && m_renderer) {
        const render::RenderOptions o = m_renderer->options();
        m_renderer = std::make_unique<render::TimelineRenderer>(*m_model, gui_theme());
        if (!m_title.isEmpty() || !m_note.isEmpty()) m_renderer->set_title(m_title, m_note);
        m_renderer->set_status(m_status);
        apply_options(o);
    }
    update();
}

void TimelineView::set_model(std::shared_ptr<const view::RunModel> model, const QString& title,
                             const QString& note, bool keep_view,
                             std::optional<session::RunStatus> status) {
    const render::RenderOptions old = m_renderer ? m_renderer->options() : render::RenderOptions{};
    const view::Time old_start = m_axis.start(), old_end = m_axis.end();
    m_renderer.reset();  // it borrows the old model
    m_model = std::move(model);
    m_measure.reset();
    m_drag = Drag::none;
    if (!m_model || m_model->run().events == 0) {
        m_selected_task = 0;
        m_selected_resource = 0;
        m_vscroll->hide();
        update();
        return;
    }
    m_title = title;
    m_note = note;
    m_status = status;
    m_renderer = std::make_unique<render::TimelineRenderer>(*m_model, gui_theme());
    if (!title.isEmpty() || !note.isEmpty()) m_renderer->set_title(title, note);
    m_renderer->set_status(status);
    // Selection ids belong to the old run; a re-run of the same scenario keeps them
    // meaningful, a different file does not.
    if (!keep_view) {
        m_selected_task = 0;
        m_selected_resource = 0;
    }
    if (m_model->task(m_selected_task) == nullptr) m_selected_task = 0;
    if (m_model->resource(m_selected_resource) == nullptr) m_selected_resource = 0;
    render::RenderOptions o = old;
    o.selected_task = m_selected_task;
    o.selected_resource = m_selected_resource;
    o.critical_path_task = m_selected_task;
    o.playhead = m_playhead;
    apply_options(o);
    const view::Time end = std::max<view::Time>(m_model->end_time(), 1);
    if (keep_view && old_start < end && old_end > 0) {
        m_axis = m_renderer->make_axis(old_start, old_end, width() - m_vscroll->sizeHint().width());
        update_scrollbar();
        m_axis.set_width(time_area_width());
        changed_view();
    } else {
        m_scroll = 0;
        fit();
    }
}

void TimelineView::set_placeholder(const QString& text) {
    m_placeholder = text;
    if (!m_renderer) update();
}

void TimelineView::apply_options(const render::RenderOptions& o) {
    if (!m_renderer) return;
    m_renderer->set_options(o);
    update_scrollbar();
    m_axis.set_width(time_area_width());
    update();
}

double TimelineView::label_width() const {
    return m_renderer ? m_renderer->label_width() : 0;
}

double TimelineView::header_height() const {
    return m_renderer ? m_renderer->header_height() : 0;
}

double TimelineView::time_area_width() const {
    const double bar = m_vscroll->isVisible() ? m_vscroll->width() : 0;
    return std::max(1.0, width() - bar - label_width());
}

QPointF TimelineView::to_content(const QPointF& p) const {
    return p.y() < header_height() ? p : QPointF(p.x(), p.y() + m_scroll);
}

bool TimelineView::in_ruler(const QPointF& p) const {
    if (!m_renderer || !m_renderer->options().ruler) return false;
    const double ruler = m_renderer->theme().ruler_height;
    return p.y() < header_height() && p.y() >= header_height() - ruler && p.x() >= label_width();
}

void TimelineView::update_scrollbar() {
    if (!m_renderer) {
        m_vscroll->hide();
        return;
    }
    const double overflow = m_renderer->content_height() - height();
    const bool need = overflow > 0.5;
    if (need != m_vscroll->isVisible()) {
        m_vscroll->setVisible(need);
        m_axis.set_width(time_area_width());
    }
    const int bar_w = m_vscroll->sizeHint().width();
    const int top = static_cast<int>(header_height());
    m_vscroll->setGeometry(width() - bar_w, top, bar_w, std::max(0, height() - top));
    m_vscroll->setRange(0, need ? static_cast<int>(std::ceil(overflow)) : 0);
    m_vscroll->setPageStep(std::max(1, height() - top));
    m_vscroll->setSingleStep(20);
    set_scroll(m_scroll);
}

void TimelineView::set_scroll(double y) {
    const double max = m_renderer ? std::max(0.0, m_renderer->content_height() - height()) : 0.0;
    y = std::clamp(y, 0.0, max);
    if (y == m_scroll && m_vscroll->value() == std::lround(y)) return;
    m_scroll = y;
    m_vscroll->setValue(static_cast<int>(std::lround(y)));
    update();
}

void TimelineView::reveal_lane(int lane) {
    if (!m_renderer || lane < 0) return;
    const QRectF r = m_renderer->lane_rect(m_axis, lane);
    if (r.isEmpty()) return;
    const double top = r.top() - m_scroll, bottom = r.bottom() - m_scroll;
    if (top < header_height())
        set_scroll(r.top() - header_height());
    else if (bottom > height())
        set_scroll(r.bottom() - height());
}

void TimelineView::set_visible_range(view::Time start, view::Time end) {
    if (!m_renderer) return;
    m_axis.set(start, std::max(end, start + view::TimeAxis::kMinSpan), time_area_width());
    changed_view();
}

void TimelineView::fit() {
    if (!m_model) return;
    const double w = time_area_width();
    m_axis.set_width(w);
    // From 0, with room on the right for the playhead's time label at the end of
    // the run (about 70 px), or for a deadlock's stuck waits and cycle.
    const view::Time end = std::max<view::Time>(m_model->end_time(), 1000);
    const double room = m_renderer && !m_renderer->deadlock().empty()
                            ? w * static_cast<double>(m_renderer->room_after_end()) /
                                  static_cast<double>(end + m_renderer->room_after_end())
                            : 0.0;
    m_axis.fit_run(end, std::max(room, std::min(70.0, w / 4)));
    changed_view();
}

void TimelineView::zoom_in() {
    m_axis.zoom(kZoomStep, m_axis.width() / 2);
    changed_view();
}

void TimelineView::zoom_out() {
    m_axis.zoom(1 / kZoomStep, m_axis.width() / 2);
    changed_view();
}

void TimelineView::changed_view() {
    // Keep the run in view: no time before it, panning stops half a view past its end.
    if (m_model) m_axis.keep_on_run(m_model->end_time());
    update();
    Q_EMIT view_changed(m_axis.start(), m_axis.end());
}

void TimelineView::set_playhead(qint64 t) {
    if (m_playhead == t) return;
    m_playhead = t;
    if (!m_renderer) return;
    render::RenderOptions o = m_renderer->options();
    o.playhead = t;
    m_renderer->set_options(o);
    if (m_follow && (t < m_axis.start() || t > m_axis.end())) {
        // Page along: the playhead re-enters at a tenth of the width.
        const view::Time span = m_axis.span();
        const view::Time start = t - span / 10;
        m_axis.set(start, start + span, m_axis.width());
        changed_view();
    }
    update();
}

void TimelineView::set_selection(TaskId task, ResourceId resource, bool reveal) {
    m_selected_task = task;
    m_selected_resource = resource;
    if (!m_renderer) return;
    render::RenderOptions o = m_renderer->options();
    o.selected_task = task;
    o.selected_resource = resource;
    o.critical_path_task = task;  // the selected task's critical path is drawn
    apply_options(o);
    if (!reveal) return;
    const auto& lanes = m_renderer->lanes();
    for (int i = 0; i < static_cast<int>(lanes.size()); ++i) {
        const render::Lane* lane = lanes[static_cast<std::size_t>(i)].get();
        const auto* t = dynamic_cast<const render::TaskLane*>(lane);
        const auto* c = dynamic_cast<const render::ChannelLane*>(lane);
        if ((t && task != 0 && t->task() == task) ||
            (c && resource != 0 && c->resource() == resource)) {
            reveal_lane(i);
            break;
        }
    }
}

void TimelineView::reveal_worker(WorkerId w) {
    if (m_renderer) reveal_lane(m_renderer->worker_lane(w));
}

bool TimelineView::wake_arrows() const {
    return m_renderer && m_renderer->options().wake_arrows;
}

bool TimelineView::tasks_collapsed() const {
    return m_renderer && m_renderer->options().tasks_collapsed;
}

void TimelineView::set_wake_arrows(bool on) {
    if (!m_renderer) return;
    render::RenderOptions o = m_renderer->options();
    o.wake_arrows = on;
    apply_options(o);
}

void TimelineView::set_tasks_collapsed(bool collapsed) {
    if (!m_renderer) return;
    render::RenderOptions o = m_renderer->options();
    o.tasks_collapsed = collapsed;
    apply_options(o);
}

void TimelineView::clear_measure() {
    m_measure.reset();
    update();
}

// ---- Painting -------------------------------------------------------------------

void TimelineView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    if (!m_renderer) {
        paint_empty(p);
        return;
    }
    p.fillRect(rect(), m_renderer->theme().background);
    const double hh = header_height();
    const double w = width() - (m_vscroll->isVisible() ? m_vscroll->width() : 0);
    // The lanes, scrolled; then the title and ruler on top, fixed.
    p.save();
    p.setClipRect(QRectF(0, hh, w, height() - hh));
    p.translate(0, -m_scroll);
    m_renderer->paint(p, m_axis, QRectF(0, hh + m_scroll, w, height() - hh));
    p.restore();
    p.save();
    p.setClipRect(QRectF(0, 0, w, hh));
    m_renderer->paint(p, m_axis, QRectF(0, 0, w, hh));
    p.restore();
    paint_measure(p);
    paint_marker(p);
}

void TimelineView::set_marker(std::optional<view::Time> t, const QString& label) {
    m_marker = t;
    m_marker_label = label;
    update();
}

void TimelineView::paint_marker(QPainter& p) {
    if (!m_marker || !m_renderer) return;
    const double x = label_width() + m_axis.x(*m_marker);
    if (x < label_width() || x > width()) return;
    const QColor c = m_renderer->theme().alert;
    p.save();
    p.setPen(QPen(c, 2, Qt::DashLine));
    p.drawLine(QPointF(x, header_height()), QPointF(x, height()));
    if (!m_marker_label.isEmpty()) {
        const QFontMetricsF fm(font());
        const QRectF box(x + 3, header_height() + 2, fm.horizontalAdvance(m_marker_label) + 8,
                         fm.height() + 2);
        p.fillRect(box, c);
        p.setPen(m_renderer->theme().text_light);
        p.drawText(box, Qt::AlignCenter, m_marker_label);
    }
    p.restore();
}

void TimelineView::paint_empty(QPainter& p) {
    p.fillRect(rect(), palette().base());
    p.setPen(palette().color(QPalette::PlaceholderText));
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    p.setFont(f);
    p.drawText(rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap,
               m_placeholder.isEmpty()
                   ? tr("Open a scenario (Ctrl+O) or a trace, or drop a .lua / .spt file here.")
                   : m_placeholder);
}

void TimelineView::paint_measure(QPainter& p) {
    if (!m_measure) return;
    const double x0 = label_width() + m_axis.x(m_measure->first);
    const double x1 = label_width() + m_axis.x(m_measure->second);
    const double left = std::max(label_width(), std::min(x0, x1));
    const double right = std::min<double>(width(), std::max(x0, x1));
    const double top = header_height();
    const double bottom = std::min<double>(height(), m_renderer->content_height() - m_scroll);
    if (right < left) return;
    p.save();
    p.setClipRect(QRectF(label_width(), 0, width() - label_width(), height()));
    p.fillRect(QRectF(left, top, right - left, bottom - top), QColor(0x2f, 0x6f, 0xb0, 40));
    p.setPen(QPen(QColor(0x2f, 0x6f, 0xb0), 1, Qt::DashLine));
    p.drawLine(QPointF(x0, top), QPointF(x0, bottom));
    p.drawLine(QPointF(x1, top), QPointF(x1, bottom));
    const QString text =
        QStringLiteral("%1  (%2 → %3)")
            .arg(render::format_duration(m_measure->second - m_measure->first),
                 render::format_time(m_measure->first), render::format_time(m_measure->second));
    QFont f = m_renderer->font();
    f.setBold(true);
    p.setFont(f);
    const QFontMetricsF fm(f);
    QRectF box(0, top + 6, fm.horizontalAdvance(text) + 14, fm.height() + 6);
    double cx = (std::max(x0, label_width()) + std::min<double>(x1, width())) / 2;
    box.moveLeft(std::clamp(cx - box.width() / 2, label_width() + 2, width() - box.width() - 2));
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x2f, 0x6f, 0xb0));
    p.drawRoundedRect(box, 4, 4);
    p.setPen(Qt::white);
    p.drawText(box, Qt::AlignCenter, text);
    p.restore();
}

void TimelineView::resizeEvent(QResizeEvent*) {
    update_scrollbar();
    m_axis.set_width(time_area_width());
    update();
}

// ---- Input ----------------------------------------------------------------------

void TimelineView::wheelEvent(QWheelEvent* event) {
    if (!m_renderer) return;
    const QPoint angle = event->angleDelta();
    const QPointF pos = event->position();
    const bool over_labels = pos.x() < label_width();
    if (angle.x() != 0 && angle.y() == 0) {  // a sideways swipe pans
        m_axis.pan(-angle.x() / 120.0 * m_axis.width() / 10);
        changed_view();
    } else if (over_labels || (event->modifiers() & Qt::ShiftModifier)) {
        set_scroll(m_scroll - angle.y() / 120.0 * 60);
    } else if (angle.y() != 0) {
        const double factor = std::pow(kZoomStep, angle.y() / 120.0);
        m_axis.zoom(factor, pos.x() - label_width());
        changed_view();
    }
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
    setFocus(Qt::MouseFocusReason);
    if (!m_renderer || event->button() != Qt::LeftButton) return;
    m_press_pos = m_last_pos = event->position();
    m_moved = false;
    if (in_ruler(m_press_pos)) {
        m_drag = Drag::scrub;
        Q_EMIT playhead_requested(m_axis.time(m_press_pos.x() - label_width()));
    } else if (event->modifiers() & Qt::ShiftModifier && m_press_pos.x() >= label_width()) {
        m_drag = Drag::measure;
        m_measure_anchor = m_axis.time(m_press_pos.x() - label_width());
        m_measure = std::pair{m_measure_anchor, m_measure_anchor};
        setCursor(Qt::SizeHorCursor);
    } else {
        m_drag = Drag::pan;
    }
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if ((pos - m_press_pos).manhattanLength() > kClickSlop) m_moved = true;
    switch (m_drag) {
        case Drag::pan:
            if (m_moved) {
                setCursor(Qt::ClosedHandCursor);
                m_axis.pan(m_last_pos.x() - pos.x());
                set_scroll(m_scroll + m_last_pos.y() - pos.y());
                changed_view();
            }
            break;
        case Drag::measure: {
            const view::Time t = m_axis.time(std::max(0.0, pos.x() - label_width()));
            m_measure = std::pair{std::min(t, m_measure_anchor), std::max(t, m_measure_anchor)};
            update();
            break;
        }
        case Drag::scrub:
            Q_EMIT playhead_requested(m_axis.time(std::max(0.0, pos.x() - label_width())));
            break;
        case Drag::none:
            setCursor(in_ruler(pos) ? Qt::PointingHandCursor : Qt::ArrowCursor);
            hover_task(pos);
            break;
    }
    m_last_pos = pos;
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    const Drag drag = std::exchange(m_drag, Drag::none);
    unsetCursor();
    if (drag == Drag::measure && m_measure) {
        if (m_measure->second - m_measure->first <= 0)
            m_measure.reset();
        else
            Q_EMIT range_measured(m_measure->first, m_measure->second);
        update();
    } else if (drag == Drag::pan && !m_moved) {
        click(event->position());
    }
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent* event) {
    // Double-click on the lanes zooms in around the point; on the ruler it is two clicks.
    if (!m_renderer || event->button() != Qt::LeftButton || in_ruler(event->position())) return;
    if (event->position().x() < label_width()) return;
    m_axis.zoom(2.0, event->position().x() - label_width());
    changed_view();
}

void TimelineView::click(const QPointF& pos) {
    if (!m_renderer) return;
    const QPointF c = to_content(pos);
    if (pos.y() >= header_height()) {
        if (auto section = m_renderer->section_at(c.y());
            section && *section == render::TimelineRenderer::Section::tasks) {
            set_tasks_collapsed(!tasks_collapsed());
            return;
        }
    }
    if (m_measure) m_measure.reset();
    const render::Hit hit = m_renderer->hit_test(m_axis, c);
    // On a channel or lock lane the resource is what was clicked (not the task of a
    // send tick or a hold); elsewhere the task wins over a resource it waits on.
    const int lane = m_renderer->lane_at(c.y());
    const auto kind = lane >= 0 ? m_renderer->lanes()[static_cast<std::size_t>(lane)]->kind()
                                : render::Lane::Kind::task;
    const bool channel_lane =
        lane >= 0 && (kind == render::Lane::Kind::channel || kind == render::Lane::Kind::lock);
    const TaskId task = channel_lane && hit.resource ? 0 : hit.task;
    const ResourceId resource = task ? 0 : hit.resource;
    set_selection(task, resource, false);
    Q_EMIT selection_changed(task, resource);
    if (task) Q_EMIT task_clicked(task, hit.time);
}

void TimelineView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            zoom_in();
            break;
        case Qt::Key_Minus:
            zoom_out();
            break;
        case Qt::Key_F:
            fit();
            break;
        case Qt::Key_Left:
            Q_EMIT step_requested(-1);
            break;
        case Qt::Key_Right:
            Q_EMIT step_requested(+1);
            break;
        case Qt::Key_Up:
            set_scroll(m_scroll - 40);
            break;
        case Qt::Key_Down:
            set_scroll(m_scroll + 40);
            break;
        case Qt::Key_PageUp:
            set_scroll(m_scroll - (height() - header_height()));
            break;
        case Qt::Key_PageDown:
            set_scroll(m_scroll + (height() - header_height()));
            break;
        case Qt::Key_Escape:
            if (m_measure) {
                clear_measure();
            } else if (m_selected_task || m_selected_resource) {
                set_selection(0, 0, false);
                Q_EMIT selection_changed(0, 0);
            }
            break;
        default:
            QWidget::keyPressEvent(event);
            return;
    }
    event->accept();
}

void TimelineView::leaveEvent(QEvent*) {
    QToolTip::hideText();
    hover_task(std::nullopt);
}

void TimelineView::hover_task(std::optional<QPointF> pos) {
    // Dense wake arrows are drawn for the selected and the hovered task only.
    if (!m_renderer || !m_renderer->options().wake_arrows) return;
    const TaskId task = pos && pos->y() >= header_height()
                            ? m_renderer->hit_test(m_axis, to_content(*pos)).task
                            : 0;
    render::RenderOptions o = m_renderer->options();
    if (o.hovered_task == task) return;
    o.hovered_task = task;
    m_renderer->set_options(o);
    update();
}

bool TimelineView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip && m_renderer) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QPointF pos = help->pos();
        QString text;
        if (in_ruler(pos))
            text = tr("%1 — click or drag to move the playhead")
                       .arg(render::format_time(m_axis.time(pos.x() - label_width())));
        else
            text = m_renderer->hit_test(m_axis, to_content(pos)).text;
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

}  // namespace spindle::ui
