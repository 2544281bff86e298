#include "stage_view.h"

#include <QHelpEvent>
#include <QResizeEvent>

#include <QMouseEvent>
#include <QPainter>
#include <QStringList>
#include <QToolTip>

#include <algorithm>
#include <cmath>

#include "gui_theme.h"
#include "lane/lane.h"
#include "stage/stage_painter.h"
#include "theme.h"

namespace spindle::ui {

using view::StageArea;

StageView::StageView(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true);
    m_clock.start();
    m_settle.setInterval(16);
    connect(&m_settle, &QTimer::timeout, this, [this] {
        if (!settling()) m_settle.stop();
        recompute();
    });
}

StageView::~StageView() = default;

void StageView::set_model(std::shared_ptr<const view::RunModel> model, const QString& title) {
    // The renderer borrows the index, the index the model: drop them in that order.
    m_renderer.reset();
    m_index.reset();
    m_model = std::move(model);
    m_title = title;
    refresh();
}

void StageView::refresh() {
    m_renderer.reset();
    m_index.reset();
    if (m_model) {
        m_index = std::make_unique<view::StageIndex>(*m_model);
        m_renderer = std::make_unique<render::StagePainter>(*m_index, gui_theme());
        if (!m_title.isEmpty() && !m_model->run().started) m_renderer->set_title(m_title);
    }
    fit_height();
    recompute();
}

void StageView::set_animation(view::Time animation) {
    if (animation == m_tween.glide()) return;
    m_tween.set_glide(animation);
    if (m_tween.playing()) recompute();
}

void StageView::set_playing(bool playing) {
    if (playing == m_tween.playing()) return;
    if (playing) {
        m_tween.play();
        m_settle.stop();
    } else {
        m_tween.pause(m_clock.elapsed());
        m_settle.start();
    }
    recompute();
}

bool StageView::settling() const {
    return m_tween.settling(m_clock.elapsed());
}

void StageView::setTime(qint64 t) {
    if (t == m_time && m_index) return;
    m_time = t;
    // Not playing, a new time is a jump: show it still at once.
    m_tween.jump();
    recompute();
}

void StageView::recompute() {
    m_snapshot =
        m_index ? m_index->at(m_time, m_tween.animation(m_clock.elapsed())) : view::StageSnapshot{};
    update();
}

int StageView::full_scale_width() {
    return static_cast<int>(std::ceil(render::stage::kMinLayoutWidth));
}

double StageView::scale() const {
    return m_renderer ? m_renderer->scale(QRectF(rect())) : 1.0;
}

double StageView::smallest_text_px() const {
    const render::StageFonts fonts(gui_theme());
    int px = fonts.bold.pixelSize();
    for (const QFont* f : {&fonts.small_font, &fonts.small_bold, &fonts.chip, &fonts.title,
                           &fonts.title_plain, &fonts.caption})
        px = std::min(px, f->pixelSize());
    return px * scale();
}

void StageView::fit_height() {
    const int h =
        m_renderer ? static_cast<int>(std::ceil(m_renderer->height_for_width(width()))) : 0;
    if (minimumHeight() != h) setMinimumHeight(h);
}

void StageView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fit_height();
}

void StageView::set_placeholder(const QString& text) {
    m_placeholder = text;
    update();
}

QString StageView::placeholder() const {
    return m_placeholder.isEmpty() ? tr("No run to show: open or run a scenario.") : m_placeholder;
}

void StageView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const render::Theme& th = gui_theme();
    if (!m_renderer) {
        p.fillRect(rect(), th.background);
        p.setPen(th.text_dim);
        p.drawText(rect(), Qt::AlignCenter, placeholder());
        return;
    }
    m_renderer->paint(p, m_snapshot, QRectF(rect()));
}

void StageView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || !m_renderer) return QWidget::mousePressEvent(event);
    Q_EMIT task_clicked(m_renderer->task_at(m_snapshot, QRectF(rect()), event->position()));
}

bool StageView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip && m_renderer) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const TaskId task = m_renderer->task_at(m_snapshot, QRectF(rect()), help->pos());
        if (task)
            QToolTip::showText(help->globalPos(), describe(task), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

QString StageView::describe(TaskId task) const {
    const view::TaskChip* chip = m_snapshot.chip(task);
    if (!chip || !m_model) return {};
    auto resource_name = [&](std::uint32_t id) {
        const view::ResourceTrack* r = m_model->resource(id);
        return r ? QString::fromStdString(r->name) : QStringLiteral("#%1").arg(id);
    };
    QString where;
    switch (chip->to.area) {
        case StageArea::running:
            where = tr("polled on worker %1").arg(chip->to.owner);
            break;
        case StageArea::lifo:
            where = tr("in worker %1's LIFO slot").arg(chip->to.owner);
            break;
        case StageArea::local:
            where =
                tr("queued on worker %1 (position %2)").arg(chip->to.owner).arg(chip->to.index + 1);
            break;
        case StageArea::global:
            where = tr("in the global queue (position %1)").arg(chip->to.index + 1);
            break;
        case StageArea::blocking_queue:
            where = tr("waiting for a blocking thread");
            break;
        case StageArea::lane:
            where = tr("scheduled on blocking thread %1").arg(chip->to.owner);
            break;
        case StageArea::senders:
            where = tr("waiting to send on %1").arg(resource_name(chip->to.owner));
            break;
        case StageArea::receivers:
            where = tr("waiting to receive on %1").arg(resource_name(chip->to.owner));
            break;
        case StageArea::waiters:
            where = tr("waiting on %1").arg(resource_name(chip->to.owner));
            break;
        case StageArea::joining:
            where = tr("waiting for another task to finish");
            break;
        case StageArea::sleeping:
            where = tr("asleep");
            break;
        case StageArea::idle:
            where = tr("idle");
            break;
        case StageArea::done:
            where = tr("finished");
            break;
        default:
            break;
    }
    QString text = tr("%1 (#%2): %3, since %4")
                       .arg(QString::fromStdString(std::string(m_model->task_name(task))))
                       .arg(task)
                       .arg(where, render::format_time(chip->since));
    // A select waits on every branch; the stage shows it at the first.
    if (const view::TaskSpan* span = m_model->span_at(task, m_snapshot.time);
        span &&
        (span->state == view::TaskState::waiting || span->state == view::TaskState::blocked)) {
        QStringList branches;
        for (const view::WaitRef& w : m_model->select_waits(span->select)) {
            const QString op = QString::fromLatin1(to_string(w.op));
            if (w.op == WaitOp::sleep)
                branches << op;
            else if (w.op == WaitOp::join)
                branches << tr("%1 on %2")
                                .arg(op, QString::fromStdString(
                                             std::string(m_model->task_name(w.resource))));
            else
                branches << tr("%1 on %2").arg(op, resource_name(w.resource));
        }
        if (!branches.isEmpty())
            text += tr("\nin a select, waiting on each of: %1")
                        .arg(branches.join(QStringLiteral(", ")));
    }
    return text;
}

}  // namespace spindle::ui
