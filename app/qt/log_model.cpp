#include "log_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QRegularExpression>

#include <algorithm>

#include "run_table_model.h"
#include "scenario_runner.h"
#include "text_colours.h"

namespace spindle::ui {

namespace {

QString first_line(const QString& s) {
    const qsizetype nl = s.indexOf(QLatin1Char('\n'));
    return nl < 0 ? s : s.left(nl);
}

QString qstr(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

}  // namespace

bool LogModel::parse_location(const QString& text, QString* file, int* line) {
    static const QRegularExpression re(QStringLiteral("^(.+?):(\\d+): "));
    const auto m = re.match(text);
    if (!m.hasMatch()) return false;
    if (file) *file = m.captured(1);
    if (line) *line = m.captured(2).toInt();
    return true;
}

void LogModel::set_run(const view::RunModel* model, const RunReport* report) {
    beginResetModel();
    m_entries.clear();
    m_errors = 0;
    m_unit = time_unit_for(model ? model->end_time() : 0);
    std::vector<Entry> timed;
    std::vector<QString> task_errors;
    if (model) {
        for (const view::LogLine& l : model->logs()) {
            Entry e;
            e.time = l.time;
            e.task = l.task;
            e.task_name = qstr(model->task_name(l.task));
            e.text = qstr(l.text);
            if (l.check_failed) {
                // An error row that goes to its line, like a failed task's.
                e.kind = Entry::Kind::error;
                parse_location(e.text, &e.file, &e.line);
                e.detail = e.text;
                e.text = QStringLiteral("check failed: ") + e.text;
            }
            timed.push_back(std::move(e));
        }
        for (const view::TaskInfo& t : model->tasks()) {
            if (t.outcome != TaskOutcome::failed) continue;
            Entry e;
            e.kind = Entry::Kind::error;
            e.time = t.ended.value_or(model->end_time());
            e.task = t.id;
            e.task_name = QString::fromStdString(t.name);
            e.detail = QString::fromStdString(t.error);
            e.text = first_line(e.detail);
            if (e.text.isEmpty()) e.text = QStringLiteral("task failed");
            parse_location(e.text, &e.file, &e.line);
            task_errors.push_back(e.text);
            timed.push_back(std::move(e));
        }
    }
    // Errors the model does not hold (compile errors, unreadable files).
    if (report) {
        for (std::size_t i = 0; i < report->errors.size(); ++i) {
            const QString text = QString::fromStdString(report->errors[i]);
            if (std::find(task_errors.begin(), task_errors.end(), first_line(text)) !=
                task_errors.end())
                continue;
            Entry e;
            e.kind = Entry::Kind::error;
            e.text = first_line(text);
            e.detail = text;
            if (i < report->tracebacks.size() && !report->tracebacks[i].empty())
                e.detail += QLatin1Char('\n') + QString::fromStdString(report->tracebacks[i]);
            parse_location(e.text, &e.file, &e.line);
            m_entries.push_back(std::move(e));
        }
    }
    std::stable_sort(timed.begin(), timed.end(),
                     [](const Entry& a, const Entry& b) { return a.time < b.time; });
    for (Entry& e : timed)
        m_entries.push_back(std::move(e));
    if (report && model) {
        const view::Time end = model->end_time();
        auto note = [&](QString text, QString detail = {}) {
            Entry e;
            e.kind = Entry::Kind::note;
            e.time = end;
            e.text = std::move(text);
            e.detail = std::move(detail);
            m_entries.push_back(std::move(e));
        };
        if (report->deadlock) {
            const QString full = QString::fromStdString(report->deadlock->to_text()).trimmed();
            for (const QString& l : full.split(QLatin1Char('\n')))
                note(l.trimmed(), full);
        } else if (report->status == session::RunStatus::budget_exceeded ||
                   report->status == session::RunStatus::cancelled) {
            note(
                QStringLiteral("run stopped: %1").arg(QString::fromStdString(report->stop_reason)));
        }
    }
    for (const Entry& e : m_entries)
        if (e.kind == Entry::Kind::error) ++m_errors;
    if (m_time) m_first_future = first_after(*m_time);
    endResetModel();
}

std::size_t LogModel::first_after(view::Time t) const {
    const auto it = std::upper_bound(m_entries.begin(), m_entries.end(), t,
                                     [](view::Time x, const Entry& e) { return x < e.time; });
    return static_cast<std::size_t>(it - m_entries.begin());
}

void LogModel::set_time(view::Time t) {
    const std::size_t first = first_after(t);
    const bool had = m_time.has_value();
    const std::size_t old = had ? m_first_future : m_entries.size();
    m_time = t;
    m_first_future = first;
    if (m_entries.empty()) return;
    // Rows between the old and the new boundary changed, and the current row on
    // each side of both (the mark moves); without an old playhead, every row.
    const std::size_t lo = had ? std::min(old, first) : 0;
    const std::size_t hi = had ? std::max(old, first) : m_entries.size();
    if (had && lo == hi) return;
    const int top = static_cast<int>(lo > 0 ? lo - 1 : 0);
    const int bottom = static_cast<int>(std::min(hi, m_entries.size() - 1));
    Q_EMIT dataChanged(
        index(top, 0), index(bottom, column_count - 1),
        {Qt::ForegroundRole, Qt::BackgroundRole, Qt::FontRole, Qt::ToolTipRole, MomentRole});
}

int LogModel::current_row() const {
    if (!m_time || m_first_future == 0) return -1;
    const std::size_t row = m_first_future - 1;
    return m_entries[row].time >= 0 ? static_cast<int>(row) : -1;
}

LogModel::Moment LogModel::moment(int row) const {
    if (row < 0 || row >= rowCount()) return Moment::untimed;
    const Entry& e = m_entries[static_cast<std::size_t>(row)];
    if (!m_time || e.time < 0) return Moment::untimed;
    if (static_cast<std::size_t>(row) >= m_first_future) return Moment::future;
    return row == current_row() ? Moment::current : Moment::past;
}

int LogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int LogModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant LogModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const Entry& e = m_entries[static_cast<std::size_t>(index.row())];
    const Moment when = moment(index.row());
    switch (role) {
        case TimeRole:
            return qlonglong(e.time);
        case TaskRole:
            return e.task;
        case KindRole:
            return static_cast<int>(e.kind);
        case MomentRole:
            return static_cast<int>(when);
        case Qt::ForegroundRole: {
            QColor c;
            if (e.kind == Entry::Kind::error)
                c = text_colour(TextTone::alert);
            else if (e.kind == Entry::Kind::note)
                c = text_colour(TextTone::note);
            else if (index.column() != message)
                c = text_colour(TextTone::quiet);
            // Not happened yet: faded, on a light background or a dark one.
            if (when == Moment::future)
                return QBrush(c.isValid() ? QColor(c.red(), c.green(), c.blue(), 110)
                                          : QColor(0x80, 0x80, 0x80, 150));
            return c.isValid() ? QVariant(QBrush(c)) : QVariant();
        }
        case Qt::BackgroundRole:
            // The mark: the app's accent, translucent so either theme shows through.
            if (when == Moment::current) return QBrush(QColor(0x2f, 0x6f, 0xb0, 60));
            return {};
        case Qt::FontRole:
            if ((index.column() == message && e.kind != Entry::Kind::print) ||
                when == Moment::current) {
                QFont f;
                f.setBold(e.kind == Entry::Kind::error || when == Moment::current);
                return f;
            }
            return {};
        case Qt::TextAlignmentRole:
            return QVariant::fromValue(Qt::AlignVCenter |
                                       (index.column() == time ? Qt::AlignRight : Qt::AlignLeft));
        case Qt::ToolTipRole:
            if (!e.detail.isEmpty()) return e.detail;
            if (when == Moment::future)
                return QStringLiteral("After the playhead: click to move the playhead here");
            return e.time >= 0 ? QStringLiteral("Click to move the playhead here") : QVariant();
        case Qt::DisplayRole:
            switch (index.column()) {
                case time:
                    return e.time < 0 ? QString() : fixed_time(e.time, m_unit);
                case task:
                    if (e.task == 0) return QString();
                    return e.task_name.isEmpty() ? QStringLiteral("#%1").arg(e.task) : e.task_name;
                case message:
                    return e.text;
                default:
                    return {};
            }
        default:
            return {};
    }
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case time:
            return QStringLiteral("Time");
        case task:
            return QStringLiteral("Task");
        case message:
            return QStringLiteral("Message");
        default:
            return {};
    }
}

}  // namespace spindle::ui
