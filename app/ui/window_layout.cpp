#include "window_layout.h"

#include <QDockWidget>
#include <QEvent>
#include <QLayout>
#include <QMainWindow>
#include <QScreen>
#include <QStyle>
#include <QTimer>

#include <algorithm>

#include "app_settings.h"
#include "run_docks.h"

namespace spindle::ui {

namespace {

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kStateSizeKey = QStringLiteral("window/state_size");
constexpr int kResizePasses = 6;

/// Up to `comfortable` pixels of room are all used; more room, nine tenths of it.
int first_extent(int room, int comfortable) {
    return room <= comfortable ? room : std::max(comfortable, room * 9 / 10);
}

}  // namespace

QRect WindowLayout::first_geometry(const QRect& available, const QMargins& frame) {
    const QRect room = available.marginsRemoved(frame);
    QRect r(QPoint(0, 0),
            QSize(first_extent(room.width(), 1440), first_extent(room.height(), 900)));
    r.moveCenter(room.center());
    return r;
}

WindowLayout::DockSizes WindowLayout::default_sizes(const QSize& window, int stage_width) {
    DockSizes d;
    const int w = window.width();
    // The stage at its own size (its text as designed), more on a wide window, as long
    // as the timeline keeps a readable width; on a narrow window they share it.
    d.stage_width = std::max(stage_width, w * 2 / 5);
    if (w - d.stage_width < kReadableTimeline)
        d.stage_width = std::max(w - kReadableTimeline, w / 2);
    d.bottom_height = std::clamp(window.height() * 3 / 10, 180, 320);
    d.log_width = w * 2 / 5;
    return d;
}

WindowLayout::WindowLayout(QMainWindow* window, RunDocks* docks)
    : QObject(window), m_window(window), m_docks(docks) {
    // Before anything is restored: which dock sits where, for Reset Layout.
    m_default_arrangement = m_window->saveState();
    m_window->installEventFilter(this);
    auto moved = [this] {
        if (m_ready && !m_applying) QTimer::singleShot(0, this, &WindowLayout::record_shares);
    };
    for (QDockWidget* d : m_docks->docks()) {
        connect(d, &QDockWidget::dockLocationChanged, this, moved);
        connect(d, &QDockWidget::topLevelChanged, this, moved);
    }
}

void WindowLayout::restore() {
    const QSettings s = app_settings();
    const QByteArray geometry = s.value(kGeometryKey).toByteArray();
    if (geometry.isEmpty() || !m_window->restoreGeometry(geometry)) {
        // The window manager's frame is not known before the window is mapped: allow
        // for a title bar and thin borders.
        const int title = m_window->style()->pixelMetric(QStyle::PM_TitleBarHeight);
        const QMargins frame(4, title + 8, 4, 4);
        m_window->setGeometry(first_geometry(m_window->screen()->availableGeometry(), frame));
    }
    m_saved_state = s.value(kStateKey).toByteArray();
    m_saved_size = s.value(kStateSizeKey).toSize();
}

void WindowLayout::save() const {
    if (!m_ready) return;
    QSettings s = app_settings();
    s.setValue(kGeometryKey, m_window->saveGeometry());
    s.setValue(kStateKey, m_window->saveState());
    s.setValue(kStateSizeKey, m_window->size());
}

void WindowLayout::reset() {
    m_applying = true;
    m_window->restoreState(m_default_arrangement);
    m_applying = false;
    m_docks->show_all();
    apply_defaults();
}

bool WindowLayout::eventFilter(QObject* watched, QEvent* event) {
    if (watched != m_window) return false;
    switch (event->type()) {
        case QEvent::Show:
            // By now the window's layout has the window's size.
            if (m_shown) break;
            m_shown = true;
            apply_saved(false);
            if (!m_ready)
                QTimer::singleShot(kShowGraceMs, this, [this] {
                    if (!m_ready) apply_saved(true);
                });
            break;
        case QEvent::Resize:
            // The layout has just been fitted to the new size (layouts see the event
            // before filters do).
            if (!m_ready) {
                if (m_shown) apply_saved(false);
            } else if (!m_applying && m_window->size() != m_shares_size) {
                apply_shares();
            }
            break;
        case QEvent::MouseButtonRelease:
            // The end of a separator drag (the window itself gets those events).
            if (m_ready) QTimer::singleShot(0, this, &WindowLayout::record_shares);
            break;
        default:
            break;
    }
    return false;
}

void WindowLayout::apply_saved(bool now) {
    if (m_ready) return;
    if (m_saved_state.isEmpty()) {
        apply_defaults();
        return;
    }
    if (!now && m_saved_size.isValid() && m_window->size() != m_saved_size) return;
    m_applying = true;
    const bool restored = m_window->restoreState(m_saved_state);
    m_applying = false;
    m_saved_state.clear();
    if (!restored) {
        apply_defaults();
        return;
    }
    m_ready = true;
    record_shares();
}

void WindowLayout::apply_defaults() {
    const QSize size = m_window->size();
    const DockSizes d = default_sizes(size, m_docks->full_scale_stage_width());
    QDockWidget* tasks = m_docks->task_dock();
    m_applying = true;
    m_window->resizeDocks({m_docks->stage_dock()}, {d.stage_width}, Qt::Horizontal);
    m_window->resizeDocks({tasks}, {d.bottom_height}, Qt::Vertical);
    m_window->resizeDocks({tasks, m_docks->log_dock()}, {size.width() - d.log_width, d.log_width},
                          Qt::Horizontal);
    // resizeDocks() only marks the layout dirty: lay it out now, so the shares
    // recorded are the sizes just set.
    m_window->layout()->activate();
    m_applying = false;
    m_saved_state.clear();
    m_ready = true;
    record_shares();
}

QDockWidget* WindowLayout::in_front(QDockWidget* dock) const {
    auto shown = [this](QDockWidget* d) {
        // Qt parks the tabs not in front outside the window.
        return d->isVisible() && !d->isFloating() && m_window->rect().intersects(d->geometry());
    };
    if (shown(dock)) return dock;
    if (!dock->isVisible() || dock->isFloating()) return nullptr;
    for (QDockWidget* d : m_window->tabifiedDockWidgets(dock))
        if (shown(d)) return d;
    return nullptr;
}

void WindowLayout::record_shares() {
    m_shares.clear();
    const QSize size = m_window->size();
    if (size.isEmpty()) return;
    for (QDockWidget* d : m_docks->docks()) {
        // A tab group is measured through the dock in front.
        if (in_front(d) != d) continue;
        m_shares.insert(
            d, QSizeF(double(d->width()) / size.width(), double(d->height()) / size.height()));
    }
    m_shares_size = size;
}

void WindowLayout::apply_shares() {
    const QSize size = m_window->size();
    m_shares_size = size;
    QList<QDockWidget*> docks;
    QList<QSize> wanted;
    for (auto it = m_shares.cbegin(); it != m_shares.cend(); ++it) {
        QDockWidget* d = in_front(it.key());
        if (!d || docks.contains(d)) continue;
        docks << d;
        wanted << QSize(std::max(1, qRound(it.value().width() * size.width())),
                        std::max(1, qRound(it.value().height() * size.height())));
    }
    if (docks.isEmpty()) return;
    // A dock's extent across its area is the area's; along it, it only counts when
    // the area holds other docks too (a lone Stage is as tall as the window lets it
    // be, and asking for a height there would take it from the bottom row).
    QHash<Qt::DockWidgetArea, int> in_area;
    for (QDockWidget* d : docks)
        ++in_area[m_window->dockWidgetArea(d)];
    QList<QDockWidget*> by_width, by_height;
    QList<int> widths, heights;
    for (int i = 0; i < docks.size(); ++i) {
        const Qt::DockWidgetArea area = m_window->dockWidgetArea(docks[i]);
        const bool side = area == Qt::LeftDockWidgetArea || area == Qt::RightDockWidgetArea;
        const bool shared = in_area.value(area) > 1;
        if (side || shared) {
            by_width << docks[i];
            widths << wanted[i].width();
        }
        if (!side || shared) {
            by_height << docks[i];
            heights << wanted[i].height();
        }
    }
    // resizeDocks() asks for a size; the layout then shares any shortfall between
    // the central widget (still at its old size) and the docks, and sizes a tabbed
    // dock's place, tab bar included. So ask again for what was missed: the miss
    // halves each time and is gone after a few passes.
    m_applying = true;
    auto resize = [this](const QList<QDockWidget*>& list, const QList<int>& want,
                         Qt::Orientation o) {
        QList<int> ask = want;
        for (int pass = 0; pass < kResizePasses && !list.isEmpty(); ++pass) {
            m_window->resizeDocks(list, ask, o);
            m_window->layout()->activate();
            bool exact = true;
            for (int i = 0; i < list.size(); ++i) {
                const QSize got = list[i]->size();
                const int miss = want[i] - (o == Qt::Horizontal ? got.width() : got.height());
                exact = exact && miss == 0;
                ask[i] = std::max(1, ask[i] + miss);
            }
            if (exact) break;
        }
    };
    resize(by_width, widths, Qt::Horizontal);
    resize(by_height, heights, Qt::Vertical);
    m_applying = false;
}

}  // namespace spindle::ui
