#pragma once
// CompareView: two runs of a scenario one above the other on one time axis (File ›
// Compare With…, or "Compare with shortest passing" in the Schedules dock), zooming
// and scrolling together, with the first event where their streams differ marked
// on both (view::first_divergence, texts compared through each trace's own string
// table) and a summary: where that is, how each run ended, and the tasks that did
// not do the same after it (view::compare_runs / describe).
//
// State and ownership: two ScenarioRunners (one per side; each run on its own
// thread) and, per side, the finished run (shared, read-only) and its events and
// string table read back from the run's trace. The views are filled once both runs are in; a flag
// stops a mirrored range change from echoing back. GUI thread only.

#include <QWidget>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "divergence.h"
#include "run_comparison.h"
#include "run_report.h"
#include "scenario_runner.h"

class QLabel;

namespace spindle::ui {

class TimelineView;

class CompareView final : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(QWidget* parent = nullptr);
    ~CompareView() override;

    /// Runs `a` (shown on top) and `b` (below); `compared` follows when both are shown.
    void compare(session::RunRequest a, const QString& title_a, session::RunRequest b,
                 const QString& title_b);

    TimelineView* view(int side) const { return m_sides[static_cast<std::size_t>(side)].view; }
    std::shared_ptr<const session::RunReport> report(int side) const {
        return m_sides[static_cast<std::size_t>(side)].report;
    }
    /// Where the two runs' events first differ (nothing: they are the same).
    const std::optional<view::Divergence>& divergence() const { return m_divergence; }
    /// What differs between the two runs (set once both are shown).
    const view::RunComparison& comparison() const { return m_comparison; }
    bool ready() const { return m_ready; }
    QLabel* summary() const { return m_summary; }

Q_SIGNALS:
    /// Both runs are shown, with the divergence marked.
    void compared();

private:
    struct Side {
        ScenarioRunner* runner = nullptr;
        TimelineView* view = nullptr;
        QString title;
        std::shared_ptr<const view::RunModel> model;
        std::shared_ptr<const session::RunReport> report;
        std::vector<Event> events;
        std::vector<std::string> texts;  ///< the trace's string table (by TextId)
        bool done = false;
    };
    void on_finished(int side, std::shared_ptr<const view::RunModel> model,
                     std::shared_ptr<const session::RunReport> report);
    void show_both();
    void mirror(int from, qint64 start, qint64 end);

    std::array<Side, 2> m_sides;
    std::optional<view::Divergence> m_divergence;
    view::RunComparison m_comparison;
    QLabel* m_summary = nullptr;
    bool m_ready = false;
    bool m_syncing = false;
};

}  // namespace spindle::ui
