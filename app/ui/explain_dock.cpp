#include "explain_dock.h"

#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace spindle::ui {

ExplainView::ExplainView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_browser = new QTextBrowser;
    m_browser->setOpenLinks(false);
    m_browser->setOpenExternalLinks(false);
    layout->addWidget(m_browser);
    connect(m_browser, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == QLatin1String("explain")) activate_link(url.path().toInt());
    });
    render();
}

ExplainView::~ExplainView() = default;

void ExplainView::set_model(std::shared_ptr<const view::RunModel> model) {
    m_model = std::move(model);
    m_idle = m_model ? std::make_unique<view::WorkerIdle>(*m_model) : nullptr;
    m_task = 0;
    m_at.reset();
    render();
}

void ExplainView::show_task(TaskId task, std::optional<view::Time> at) {
    if (task == m_task && at == m_at) return;
    m_task = task;
    m_at = at;
    render();
}

QString ExplainView::plain_text() const {
    return m_browser->toPlainText();
}

void ExplainView::activate_link(int index) {
    if (index < 0 || index >= static_cast<int>(m_links.size())) return;
    const view::ExplainPiece p = m_links[static_cast<std::size_t>(index)];
    Q_EMIT link_activated(p.task, p.resource, p.time);
}

QString ExplainView::line_html(const view::ExplainLine& line) {
    QString html;
    for (const view::ExplainPiece& p : line.pieces) {
        const QString text = QString::fromStdString(p.text).toHtmlEscaped();
        if (!p.is_link()) {
            html += text;
            continue;
        }
        html += QStringLiteral("<a href=\"explain:%1\">%2</a>").arg(m_links.size()).arg(text);
        m_links.push_back(p);
    }
    return html;
}

void ExplainView::render() {
    m_links.clear();
    const view::RunModel* m = m_model.get();
    if (!m || !m->finished() || !m_idle) {
        m_browser->setHtml(tr("<p>Explain shows why a task waited once a run has finished.</p>"));
        return;
    }
    const view::TaskInfo* info = m->task(m_task);
    if (!info || info->id != m_task) {
        m_browser->setHtml(
            tr("<p>Click a task in the timeline or the Tasks table: Explain says why it waited — "
               "each wait as a chain of causes — where its time went, and its critical path, "
               "which the timeline draws over the task lanes.</p>"));
        return;
    }
    const view::Explanation e = view::explain_task(*m, *m_idle, m_task);
    QString html;
    auto para = [&](const std::vector<view::ExplainLine>& lines) {
        for (const view::ExplainLine& l : lines)
            html += QStringLiteral("<div style=\"margin-left:%1px\">%2</div>")
                        .arg(16 * l.depth)
                        .arg(line_html(l));
    };
    auto heading = [&](const QString& text) {
        html +=
            QStringLiteral("<p style=\"margin-top:8px\"><b>%1</b></p>").arg(text.toHtmlEscaped());
    };
    html += QStringLiteral("<p>");
    for (const view::ExplainLine& l : e.header)
        html += line_html(l);
    html += QStringLiteral("</p>");
    // The wait under the click first.
    if (m_at) {
        const view::TaskSpan* s = m->span_at(m_task, *m_at);
        const auto index = s ? static_cast<std::size_t>(s - info->spans.data()) : 0;
        if (s && (s->state == view::TaskState::waiting || s->state == view::TaskState::blocked ||
                  s->state == view::TaskState::idle)) {
            heading(tr("This wait"));
            para(view::explain_wait(*m, m_task, index));
        } else if (s && s->state == view::TaskState::queued) {
            heading(tr("This wait in a run queue"));
            para(view::explain_queued(*m, *m_idle, m_task, index));
        }
    }
    heading(tr("Where its time went"));
    para(e.breakdown);
    heading(tr("Its longest waits, and why"));
    if (e.chains.empty()) html += tr("<div>It never waited.</div>");
    for (const auto& chain : e.chains) {
        html += QStringLiteral("<div style=\"margin-bottom:4px\">");
        para(chain);
        html += QStringLiteral("</div>");
    }
    heading(tr("Critical path to its end (drawn on the timeline)"));
    para(e.path_summary);
    html += QStringLiteral("<p style=\"margin-top:4px\"></p>");
    para(e.path_lines);
    m_browser->setHtml(html);
}

}  // namespace spindle::ui
