#pragma once
// WindowLayout: where the window and its docks go — the first window sized from
// its screen, the default dock sizes (the Stage at its own size beside a timeline
// wide enough to read), the layout saved on close and restored at the next launch,
// View > Reset Layout, and each dock's share of the window kept while the window
// shrinks and grows.
//
// State and ownership: the window and the docks are borrowed (the window owns
// them and this object). It holds the default arrangement (which dock where,
// captured before anything is restored), the saved dock state until it has been
// applied, and each docked dock's share of the window's width and height.
//
// Rules:
// - QMainWindow::restoreState() reproduces the saved sizes only when the window's
//   layout already has the size the state was saved at. Applied to a window not
//   yet shown, it fits the docks by their size hints instead, and saving that back
//   narrows the Log a little more on every launch. So the geometry is restored at
//   once and the dock state when the window is shown at the saved size (or
//   kShowGrace after it is shown at another, when the window manager decided so).
// - Nothing is saved before the layout has been applied (ready()): a window that
//   was never shown leaves the saved layout as it was.
// - The shares change only when the layout is applied (restore, defaults, reset),
//   when the user drags a separator, or when a dock is moved; a window resize
//   gives every docked dock its share again, so shrinking the window and growing
//   it back returns to the same layout.
// GUI thread only.

#include <QByteArray>
#include <QHash>
#include <QMargins>
#include <QObject>
#include <QRect>
#include <QSize>
#include <QSizeF>

class QDockWidget;
class QMainWindow;

namespace spindle::ui {

class RunDocks;

class WindowLayout final : public QObject {
    Q_OBJECT
public:
    /// The default sizes of the docks, in pixels.
    struct DockSizes {
        int stage_width = 0;    ///< the Stage column on the right
        int bottom_height = 0;  ///< the row of tables under the timeline
        int log_width = 0;      ///< the Log's part of that row
    };
    /// The timeline (names and time area) is readable from this width on.
    static constexpr int kReadableTimeline = 480;
    /// How long after the first show the saved dock state waits for the saved size.
    static constexpr int kShowGraceMs = 300;

    /// The first window's client area on a screen whose free area is `available`,
    /// `frame` being what the window manager draws around it: all of a small
    /// screen, nine tenths of a large one, centred.
    static QRect first_geometry(const QRect& available, const QMargins& frame);
    /// The default dock sizes for a window whose client area is `window`;
    /// `stage_width` is the Stage dock's width at which the stage is at full size.
    static DockSizes default_sizes(const QSize& window, int stage_width);

    /// Manages `window`'s geometry and the layout of `docks` (already added).
    WindowLayout(QMainWindow* window, RunDocks* docks);

    /// Restores the saved geometry, or sizes a first window from its screen; the
    /// saved dock layout (or the default one) follows when the window is shown.
    void restore();
    /// Saves the geometry and the dock layout (once it has been applied).
    void save() const;
    /// View > Reset Layout: every dock back in its default place and size.
    void reset();
    /// The dock layout, saved or default, has been applied.
    bool ready() const { return m_ready; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    /// Applies the saved state if the window has the size it was saved at (or
    /// `now`), else the defaults when nothing was saved; then records the shares.
    void apply_saved(bool now);
    void apply_defaults();
    /// Remembers each docked dock's share of the window.
    void record_shares();
    /// Gives every docked dock its share of the window's current size.
    void apply_shares();
    /// `dock`, or the dock in front of its tab group; null when it is closed or floating.
    QDockWidget* in_front(QDockWidget* dock) const;

    QMainWindow* m_window;
    RunDocks* m_docks;
    QByteArray m_default_arrangement;
    QByteArray m_saved_state;  ///< until applied
    QSize m_saved_size;        ///< the window's size when m_saved_state was saved
    bool m_shown = false;
    bool m_ready = false;
    bool m_applying = false;
    QSize m_shares_size;  ///< the window size the shares were last applied or recorded at
    QHash<QDockWidget*, QSizeF> m_shares;
};

}  // namespace spindle::ui
