#pragma once
// SchedulesView: the Schedules dock's contents — the result of Run › Explore
// Schedules…: a progress bar with Cancel while the schedules run, then the outcome
// classes as a table (outcome, count, share, first seed, shortest seed) beside a
// horizontal bar chart of their counts (completed in the ok colour, failures in the
// alert colour). Double-clicking a class asks the window to open its shortest run;
// "Compare with shortest passing" asks it to show the selected failing class's
// shortest run above the shortest completed one.
//
// State: the last exploration's request and result (shared, read-only), replaced as
// a whole when the next one finishes, and whether one is running. The window feeds
// it the ExploreRunner's signals. GUI thread only.

#include <QWidget>

#include <memory>

#include "explore.h"

class QChartView;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace spindle::ui {

class SchedulesView final : public QWidget {
    Q_OBJECT
public:
    explicit SchedulesView(QWidget* parent = nullptr);
    ~SchedulesView() override;

    /// An exploration of `scenario` started: shows the progress bar and Cancel.
    void show_started(const QString& scenario, std::uint64_t runs);
    /// `done` of `asked` schedules ran; `classes` outcome classes so far.
    void show_progress(std::uint64_t done, std::uint64_t asked, std::uint64_t classes);
    /// Shows a finished (or cancelled) exploration.
    void show_result(std::shared_ptr<const session::ExploreResult> result,
                     std::shared_ptr<const session::ExploreRequest> request);
    /// Repaints the chart with the current gui_theme().
    void apply_theme();

    std::shared_ptr<const session::ExploreResult> result() const { return m_result; }
    std::shared_ptr<const session::ExploreRequest> request() const { return m_request; }
    bool running() const { return m_running; }

    QTableWidget* table() const { return m_table; }
    QChartView* chart_view() const { return m_chart; }
    QProgressBar* progress_bar() const { return m_progress; }
    QPushButton* cancel_button() const { return m_cancel; }
    QPushButton* compare_button() const { return m_compare; }
    QLabel* header() const { return m_header; }

    /// Acts as if row `row` of the table was double-clicked.
    void open_row(int row);

Q_SIGNALS:
    /// Cancel was pressed.
    void cancel_requested();
    /// Open class `index` (of result()->classes) at its shortest run.
    void open_requested(int index);
    /// Compare class `failing`'s shortest run with class `passing`'s.
    void compare_requested(int failing, int passing);

private:
    void rebuild_table();
    void rebuild_chart();
    /// The selected class when it is not completed, else the most frequent failing one.
    int failing_row() const;
    int passing_row() const;
    void update_compare();

    std::shared_ptr<const session::ExploreResult> m_result;
    std::shared_ptr<const session::ExploreRequest> m_request;
    bool m_running = false;
    QLabel* m_header = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_compare = nullptr;
    QTableWidget* m_table = nullptr;
    QChartView* m_chart = nullptr;
};

}  // namespace spindle::ui
