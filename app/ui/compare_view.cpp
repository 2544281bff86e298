#include "compare_view.h"

#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

#include "outcome.h"
#include "spindle/instrument/trace_file.h"
#include "time_format.h"
#include "timeline_view.h"

namespace spindle::ui {

namespace {

QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<int>(s.size()));
}

}  // namespace

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);  // task names such as "a->b" are not markup
    m_summary->setContentsMargins(6, 4, 6, 4);
    auto* split = new QSplitter(Qt::Vertical);
    for (int i = 0; i < 2; ++i) {
        Side& s = m_sides[static_cast<std::size_t>(i)];
        s.runner = new ScenarioRunner(this);
        s.view = new TimelineView;
        auto* pane = new QWidget;
        auto* layout = new QVBoxLayout(pane);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(0);
        layout->addWidget(s.view, 1);
        split->addWidget(pane);
        connect(s.runner, &ScenarioRunner::finished, this,
                [this, i](std::shared_ptr<const view::RunModel> model,
                          std::shared_ptr<const session::RunReport> report) {
                    on_finished(i, std::move(model), std::move(report));
                });
        connect(s.view, &TimelineView::view_changed, this,
                [this, i](qint64 start, qint64 end) { mirror(i, start, end); });
    }
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
}

CompareView::~CompareView() = default;

void CompareView::compare(session::RunRequest a, const QString& title_a, session::RunRequest b,
                          const QString& title_b) {
    m_ready = false;
    m_divergence.reset();
    m_summary->setText(tr("Running both…"));
    std::array<session::RunRequest, 2> requests{std::move(a), std::move(b)};
    const std::array<QString, 2> titles{title_a, title_b};
    for (std::size_t i = 0; i < 2; ++i) {
        Side& s = m_sides[i];
        s.title = titles[i];
        s.done = false;
        s.events.clear();
        s.texts.clear();
        s.view->set_model(nullptr);
        s.view->set_marker(std::nullopt);
        s.view->set_placeholder(tr("Running %1…").arg(s.title));
        s.runner->start(std::move(requests[i]));
    }
}

void CompareView::on_finished(int side, std::shared_ptr<const view::RunModel> model,
                              std::shared_ptr<const session::RunReport> report) {
    Side& s = m_sides[static_cast<std::size_t>(side)];
    s.model = std::move(model);
    s.report = std::move(report);
    s.events.clear();
    s.texts.clear();
    if (s.report->has_trace()) {
        TraceReadResult read = read_trace(s.report->trace->path());
        if (read) {
            s.events = std::move(read.trace->events);
            s.texts = std::move(read.trace->texts);
        }
    }
    s.done = true;
    if (m_sides[0].done && m_sides[1].done) show_both();
}

void CompareView::show_both() {
    view::Time end = 0;
    for (Side& s : m_sides) {
        s.view->set_placeholder(s.model->run().events == 0 ? tr("Nothing ran.") : QString());
        s.view->set_model(s.model, s.title, {}, false, s.report->status);
        end = std::max(end, s.model->end_time());
    }
    m_divergence = view::first_divergence({m_sides[0].events, m_sides[0].texts},
                                          {m_sides[1].events, m_sides[1].texts});
    m_comparison = view::compare_runs(*m_sides[0].model, *m_sides[1].model);
    QString details;
    for (const std::string& line : view::describe(
             m_comparison,
             {session::word(m_sides[0].report->status), session::word(m_sides[1].report->status)},
             5))
        details += QLatin1Char('\n') + qs(line);
    if (m_divergence) {
        m_sides[0].view->set_marker(m_divergence->time_a, tr("first difference"));
        m_sides[1].view->set_marker(m_divergence->time_b, tr("first difference"));
        const auto at = [](bool ended, view::Time t) {
            return ended ? tr("ended at %1").arg(qs(view::format_time(t)))
                         : tr("at %1").arg(qs(view::format_time(t)));
        };
        m_summary->setText(
            tr("The runs do the same for %1 events; the next one differs — top %2, bottom %3 "
               "(dashed red line).")
                .arg(m_divergence->index)
                .arg(at(m_divergence->a_ended, m_divergence->time_a),
                     at(m_divergence->b_ended, m_divergence->time_b)) +
            details);
    } else {
        for (Side& s : m_sides)
            s.view->set_marker(std::nullopt);
        m_summary->setText(tr("The two runs have the same events.") + details);
    }
    if (end > 0)
        for (Side& s : m_sides)
            s.view->set_visible_range(0, end);  // one time axis for both
    m_ready = true;
    Q_EMIT compared();
}

void CompareView::mirror(int from, qint64 start, qint64 end) {
    if (m_syncing || !m_ready) return;
    m_syncing = true;
    m_sides[static_cast<std::size_t>(1 - from)].view->set_visible_range(start, end);
    m_syncing = false;
}

}  // namespace spindle::ui
