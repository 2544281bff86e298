// The run summary as fixed-width text tables (declared in text_table.h).
//
// No state: to_text_tables is a pure function of the summary; the Table helper
// below lives only for the length of one call.

#include "spindle/instrument/text_table.h"

#include <algorithm>

#include "spindle/instrument/terminal_text.h"

namespace spindle {

namespace {

/// `ns` as milliseconds rounded (half away from zero) to three decimals: "12.346".
std::string ms3(std::int64_t ns) {
    const bool negative = ns < 0;
    const std::uint64_t mag =
        negative ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    const std::uint64_t us = mag / 1000 + (mag % 1000 >= 500 ? 1 : 0);
    std::string frac = std::to_string(us % 1000);
    frac.insert(0, 3 - frac.size(), '0');
    return (negative && us != 0 ? "-" : "") + std::to_string(us / 1000) + "." + frac;
}

/// part / whole as a percentage with one decimal ("37.5"), "-" when whole <= 0.
std::string percent1(std::int64_t part, std::int64_t whole) {
    if (whole <= 0 || part < 0) return "-";
    using U = unsigned __int128;  // part * 1000 may not fit 64 bits
    const U per_mille =
        (U(std::uint64_t(part)) * 1000 + U(std::uint64_t(whole)) / 2) / U(std::uint64_t(whole));
    const auto v = static_cast<std::uint64_t>(per_mille);
    return std::to_string(v / 10) + "." + std::to_string(v % 10);
}

/// Number of UTF-8 code points (bytes that do not continue a sequence).
std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

/// `s` made safe for one table cell: controls (C0, DEL, C1) and bytes that are not
/// UTF-8 become '?', and text longer than `max` code points is cut at a code point
/// boundary and ends in "...".
std::string cell_text(std::string_view s, std::size_t max) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = printable_length(s, i);
        if (n == 0) {
            out += '?';
            ++i;
        } else {
            out.append(s, i, n);
            i += n;
        }
    }
    if (display_width(out) <= max) return out;
    const std::size_t keep = max > 3 ? max - 3 : 0;
    std::size_t points = 0, cut = 0;
    for (; cut < out.size(); ++cut) {
        if ((static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) continue;
        if (points == keep) break;
        ++points;
    }
    out.resize(cut);
    return out + std::string(std::min<std::size_t>(3, max), '.');
}

/// A fixed-width table: left-aligned text columns, right-aligned numbers.
class Table {
public:
    struct Column {
        std::string header;
        bool right = false;
    };
    explicit Table(std::vector<Column> columns) : m_columns(std::move(columns)) {}
    void add(std::vector<std::string> row) { m_rows.push_back(std::move(row)); }

    /// The table, each line indented by two spaces; "(none)" when it has no rows.
    std::string render() const {
        if (m_rows.empty()) return "  (none)\n";
        std::vector<std::size_t> width(m_columns.size());
        for (std::size_t c = 0; c < m_columns.size(); ++c) {
            width[c] = display_width(m_columns[c].header);
            for (const auto& row : m_rows)
                width[c] = std::max(width[c], display_width(row[c]));
        }
        std::string out;
        auto line = [&](auto&& cell_of) {
            std::string l;
            for (std::size_t c = 0; c < m_columns.size(); ++c) {
                const std::string& s = cell_of(c);
                const std::string pad(width[c] - display_width(s), ' ');
                l += "  ";
                l += m_columns[c].right ? pad + s : s + pad;
            }
            while (!l.empty() && l.back() == ' ')
                l.pop_back();
            out += l + "\n";
        };
        line([&](std::size_t c) -> const std::string& { return m_columns[c].header; });
        for (const auto& row : m_rows)
            line([&](std::size_t c) -> const std::string& { return row[c]; });
        return out;
    }

private:
    std::vector<Column> m_columns;
    std::vector<std::vector<std::string>> m_rows;
};

constexpr std::size_t kNameWidth = 24;

}  // namespace

std::string to_text_tables(const RunSummary& summary) {
    const RunSummary::Run& run = summary.run();
    std::string out = "run: " + std::string(to_string(run.outcome)) + "  duration " +
                      ms3(run.duration_ns) + " ms  events " + std::to_string(run.events) +
                      "  policy " + std::string(to_string(run.policy)) + "  workers " +
                      std::to_string(run.workers) + "  seed " + std::to_string(run.seed);
    if (run.alive_at_end) out += "  alive at end " + std::to_string(run.alive_at_end);
    if (!summary.finished()) out += "  (unfinished)";
    out += "\n";

    Table tasks({{"id", true},
                 {"name", false},
                 {"state", false},
                 {"polls", true},
                 {"busy ms", true},
                 {"idle ms", true},
                 {"sched-wait ms", true}});
    for (const auto& t : summary.tasks())
        tasks.add({std::to_string(t.id), cell_text(t.name, kNameWidth),
                   std::string(to_string(t.state)), std::to_string(t.polls), ms3(t.busy_ns),
                   ms3(t.idle_ns), ms3(t.scheduled_wait_ns)});
    out += "\nTasks\n" + tasks.render();

    Table channels({{"id", true},
                    {"name", false},
                    {"kind", false},
                    {"cap", true},
                    {"sent", true},
                    {"recv", true},
                    {"max len", true},
                    {"lagged", true},
                    {"full ms", true}});
    for (const auto& c : summary.channels())
        channels.add({std::to_string(c.id), cell_text(c.name, kNameWidth),
                      std::string(to_string(c.kind)),
                      c.bounded() ? std::to_string(c.capacity) : "unbounded",
                      std::to_string(c.sent), std::to_string(c.received), std::to_string(c.max_len),
                      std::to_string(c.lagged), c.tracks_full_time() ? ms3(c.time_full_ns) : "-"});
    out += "\nChannels\n" + channels.render();

    if (!summary.resources().empty()) {
        Table resources({{"id", true},
                         {"name", false},
                         {"kind", false},
                         {"acquisitions", true},
                         {"max waiters", true}});
        for (const auto& r : summary.resources())
            resources.add({std::to_string(r.id), cell_text(r.name, kNameWidth),
                           std::string(to_string(r.kind)), std::to_string(r.acquisitions),
                           std::to_string(r.max_waiters)});
        out += "\nResources\n" + resources.render();
    }

    Table workers({{"id", true},
                   {"role", false},
                   {"polls", true},
                   {"busy ms", true},
                   {"busy %", true},
                   {"steals", true},
                   {"parks", true}});
    for (const auto& w : summary.workers())
        workers.add({std::to_string(w.id), std::string(w.role_name()), std::to_string(w.polls),
                     ms3(w.busy_ns), percent1(w.busy_ns, run.duration_ns), std::to_string(w.steals),
                     std::to_string(w.parks)});
    out += "\nWorkers\n" + workers.render();

    if (!summary.hints().empty()) {
        out += "\nHints\n";
        for (const std::string& h : summary.hints()) {
            out += "  ";
            append_terminal_safe(out, h);  // names tasks and resources
            out += '\n';
        }
    }
    if (!summary.errors().empty()) {
        out += "\nErrors\n";
        for (const std::string& e : summary.errors()) {
            out += "  ";
            append_terminal_safe(out, e);  // the script's words, shown rather than obeyed
            out += '\n';
        }
    }
    return out;
}

}  // namespace spindle
