#include "run_banner.h"

#include <QLocale>
#include <QStringList>

#include <algorithm>

#include "deadlock_view.h"
#include "lane/lane.h"
#include "run_model.h"

namespace spindle::ui {

namespace {

QString html(const std::string& s) {
    return QString::fromStdString(s).toHtmlEscaped();
}

/// The banner's colours: background, the border on its left, text (and links).
struct Look {
    const char* background;
    const char* border;
    const char* text;
};
constexpr Look kRed{"#fdecea", "#c62828", "#5f1212"};
constexpr Look kOrange{"#fff1e0", "#e06c00", "#5a2d00"};
constexpr Look kAmber{"#fff8dc", "#c79a00", "#4d3b00"};
constexpr Look kGrey{"#eef0f3", "#8a94a3", "#2b3038"};

}  // namespace

RunBanner::RunBanner(QWidget* parent) : QLabel(parent) {
    setObjectName(QStringLiteral("banner"));
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setTextInteractionFlags(Qt::TextBrowserInteraction);
    hide();
    connect(this, &QLabel::linkActivated, this, &RunBanner::on_link);
}

void RunBanner::show_report(const session::RunReport& r, const view::RunModel& model,
                            const QString& file_name) {
    const QString file = file_name.toHtmlEscaped();
    const QString links = QStringLiteral(
        " &nbsp; <a href=\"log\">Show log</a> &nbsp; <a href=\"dismiss\">Dismiss</a>");
    auto first_error = [&] {
        return r.errors.empty() ? QString()
                                : html(r.errors.front()).section(QLatin1Char('\n'), 0, 0);
    };
    Look look = kRed;
    QString text;
    switch (r.status) {
        case session::RunStatus::completed:
            // A clean run needs no banner, unless it is worth a word (it did nothing).
            if (r.notes.empty()) {
                hide();
                return;
            }
            look = kGrey;
            text = tr("<b>%1 completed</b>: %2.")
                       .arg(file, QString::fromStdString(r.notes.front()).toHtmlEscaped());
            break;
        case session::RunStatus::load_error:
            text = tr("<b>Could not open %1</b><br>%2").arg(file, first_error());
            break;
        case session::RunStatus::compile_error:
            text = tr("<b>%1 did not compile</b><br><code>%2</code>").arg(file, first_error());
            break;
        case session::RunStatus::bad_settings:
            text = tr("<b>%1 has bad scenario{} settings</b><br><code>%2</code>")
                       .arg(file, first_error());
            break;
        case session::RunStatus::failed: {
            const int failed = static_cast<int>(std::count_if(
                model.tasks().begin(), model.tasks().end(),
                [](const view::TaskInfo& t) { return t.outcome == TaskOutcome::failed; }));
            if (failed == 0)
                text = tr("<b>%1 did not run</b><br><code>%2</code>").arg(file, first_error());
            else
                text = (failed == 1
                            ? tr("<b>A task failed</b>: <code>%1</code>")
                            : tr("<b>%1 tasks failed</b>; the first: <code>%2</code>").arg(failed))
                           .arg(first_error());
            break;
        }
        case session::RunStatus::deadlock: {
            look = kOrange;
            const view::Time at = model.end_time();
            text = tr("<b>Deadlock at %1</b>: tasks wait and nothing can run.")
                       .arg(render::format_time(at));
            if (r.deadlock && !r.deadlock->cycle.empty()) {
                // The cycle in one line first ("a ⇄ b over m1, m2"), the details under it.
                std::string line = view::deadlock_headline(*r.deadlock);
                if (line.rfind("deadlock: ", 0) == 0) line.erase(0, 10);
                text =
                    tr("<b>Deadlock at %1</b>: %2.")
                        .arg(render::format_time(at), QString::fromStdString(line).toHtmlEscaped());
            }
            if (r.deadlock) {
                const QString full = QString::fromStdString(r.deadlock->to_text()).trimmed();
                QStringList lines = full.split(QLatin1Char('\n'));
                if (!lines.isEmpty()) lines.removeFirst();  // the headline, said above
                QStringList shown;
                constexpr int kMaxLines = 6;
                for (const QString& l : lines) {
                    if (l.trimmed().startsWith(QLatin1String("cycle:"))) continue;
                    if (shown.size() == kMaxLines) {
                        shown << tr("… %1 more in the log").arg(lines.size() - kMaxLines);
                        break;
                    }
                    shown << l.trimmed().toHtmlEscaped();
                }
                text += QStringLiteral("<br>") + shown.join(QStringLiteral("<br>"));
                if (!r.deadlock->cycle.empty()) {
                    QStringList cycle;
                    auto link = [&](TaskId id) {
                        const WaitingTask* t = r.deadlock->find(id);
                        const QString name = t && !t->name.empty()
                                                 ? html(t->name)
                                                 : QStringLiteral("task %1").arg(id);
                        return QStringLiteral("<a href=\"task:%1\">%2</a>").arg(id).arg(name);
                    };
                    for (TaskId id : r.deadlock->cycle)
                        cycle << link(id);
                    cycle << link(r.deadlock->cycle.front());
                    text +=
                        tr("<br><b>Wait-for cycle:</b> %1").arg(cycle.join(QStringLiteral(" → ")));
                }
            }
            if (!r.errors.empty()) text += tr("<br>Also: <code>%1</code>").arg(first_error());
            break;
        }
        case session::RunStatus::check_failed: {
            look = kRed;
            QStringList shown;
            for (std::size_t i = 0; i < r.checks.size() && i < 3; ++i)
                shown << QStringLiteral("<code>%1</code>").arg(html(r.checks[i]));
            text = tr("<b>Check failed</b> — the run went on; its picture shows what came "
                      "after.<br>%1")
                       .arg(shown.join(QStringLiteral("<br>")));
            if (r.checks.size() > 3) text += tr("<br>and %1 more").arg(r.checks.size() - 3);
            if (shown.isEmpty()) text = tr("<b>Check failed</b> (see the log).");
            break;
        }
        case session::RunStatus::cancelled:
            look = kGrey;
            text = tr("<b>Run cancelled</b> after %1 events (%2 of virtual time) — showing what "
                      "ran until then.")
                       .arg(QLocale().toString(static_cast<qulonglong>(r.events)),
                            render::format_duration(model.end_time()));
            if (!r.errors.empty()) text += tr("<br><code>%1</code>").arg(first_error());
            break;
        case session::RunStatus::budget_exceeded:
            look = kAmber;
            text = tr("<b>Budget exceeded</b>: %1 — showing the run up to there.")
                       .arg(html(r.stop_reason));
            if (!r.errors.empty()) text += tr("<br><code>%1</code>").arg(first_error());
            break;
    }
    setText(text + links);
    setStyleSheet(
        QStringLiteral("QLabel#banner { background: %1; color: %3; border-left: 5px solid %2; "
                       "border-bottom: 1px solid %2; padding: 7px 12px; }"
                       "QLabel#banner a { color: %3; }")
            .arg(QLatin1String(look.background), QLatin1String(look.border),
                 QLatin1String(look.text)));
    show();
}

void RunBanner::on_link(const QString& link) {
    if (link == QLatin1String("dismiss"))
        hide();
    else if (link == QLatin1String("log"))
        Q_EMIT log_requested();
    else if (link.startsWith(QLatin1String("task:")))
        Q_EMIT task_requested(link.mid(5).toUInt());
}

}  // namespace spindle::ui
