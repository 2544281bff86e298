#pragma once
// ExplainView: the Explain dock's contents — "why did this task wait?". For the
// selected task it shows the wait under the click (when a waiting span was clicked)
// as a chain of causes (a queued span: which queue, and whether a worker sat idle), then where the
// task's time went, its longest waits with their chains, and its critical path (which the timeline
// draws). Every task, resource and time in the text is a link: clicking it asks the window to move
// the playhead there and select what it names.
//
// State: the shown run (shared, read-only) with its WorkerIdle index, the task and
// time shown, and the link targets of the current text (index = the link's number).
// The text is rebuilt from view::explain_task / explain_wait on each change. GUI
// thread only.

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

#include "critical_path.h"
#include "explain.h"
#include "run_model.h"

class QTextBrowser;

namespace spindle::ui {

class ExplainView final : public QWidget {
    Q_OBJECT
public:
    explicit ExplainView(QWidget* parent = nullptr);
    ~ExplainView() override;

    /// Shows a new run (nothing selected yet).
    void set_model(std::shared_ptr<const view::RunModel> model);
    /// Explains `task` (0: a hint instead); when `at` falls in one of its waits, that
    /// wait's chain comes first.
    void show_task(TaskId task, std::optional<view::Time> at = std::nullopt);
    TaskId task() const { return m_task; }
    /// The text shown, without markup (tests).
    QString plain_text() const;
    /// The links in the text, in order (tests click them through activate_link).
    const std::vector<view::ExplainPiece>& links() const { return m_links; }
    /// Acts as if link `index` was clicked.
    void activate_link(int index);
    QTextBrowser* browser() const { return m_browser; }

Q_SIGNALS:
    /// A link was clicked: move the playhead to `time` (-1: keep) and select `task`
    /// or else `resource` (0: none).
    void link_activated(TaskId task, ResourceId resource, qint64 time);

private:
    void render();
    QString line_html(const view::ExplainLine& line);

    std::shared_ptr<const view::RunModel> m_model;
    std::unique_ptr<view::WorkerIdle> m_idle;
    TaskId m_task = 0;
    std::optional<view::Time> m_at;
    std::vector<view::ExplainPiece> m_links;
    QTextBrowser* m_browser = nullptr;
};

}  // namespace spindle::ui
