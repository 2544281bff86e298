// Text dump formatting. The per-kind field table below is the single place that
// says which generic field means what in a dump; it follows event.h exactly.
//
// State: see text_dump.h (TextDump's text copies); everything else is pure.

#include "spindle/instrument/text_dump.h"

#include <array>
#include <charconv>
#include <ostream>

#include "spindle/instrument/event_names.h"

namespace spindle {

namespace {

/// Which generic Event field a dump field reads.
enum class Src : std::uint8_t { detail, object, count, arg };

/// How a field's value is printed.
enum class Fmt : std::uint8_t {
    num,       ///< decimal
    task,      ///< task id, "-" for 0
    worker,    ///< worker id, "-" for kNoWorker
    queue,     ///< worker id, "global" for kNoWorker
    capacity,  ///< decimal, "unbounded" for kUnbounded
    ms,        ///< unsigned nanoseconds as milliseconds
    flag,      ///< 0 = false, 1 = true
    name,      ///< enum name via Field::names
    wake_obj,  ///< task_wake object: labelled "timer"/"res"/"obj" by cause
};

using NameFn = std::string_view (*)(std::uint64_t);

template <class E>
constexpr NameFn names_of() {
    return [](std::uint64_t v) -> std::string_view {
        return v > 0xFF ? kUnknownName : to_string(static_cast<E>(v));
    };
}

struct Field {
    Src src = Src::detail;
    std::string_view label;
    Fmt fmt = Fmt::num;
    NameFn names = nullptr;
};

struct KindSpec {
    std::array<Field, 3> fields{};
    int field_count = 0;
    std::string_view text_label = "text";
};

constexpr Field num(Src s, std::string_view label) {
    return {s, label, Fmt::num, nullptr};
}
constexpr Field fmt(Src s, std::string_view label, Fmt f) {
    return {s, label, f, nullptr};
}
template <class E>
constexpr Field named(Src s, std::string_view label) {
    return {s, label, Fmt::name, names_of<E>()};
}

constexpr KindSpec spec(std::string_view text_label = "text") {
    return {{}, 0, text_label};
}
constexpr KindSpec spec(Field a, std::string_view text_label = "text") {
    return {{a}, 1, text_label};
}
constexpr KindSpec spec(Field a, Field b, std::string_view text_label = "text") {
    return {{a, b}, 2, text_label};
}
constexpr KindSpec spec(Field a, Field b, Field c, std::string_view text_label = "text") {
    return {{a, b, c}, 3, text_label};
}

// Indexed by EventKind; mirrors the comments in event.h.
const std::array<KindSpec, kEventKindCount> kSpecs = {
    // run_start
    spec(named<Policy>(Src::detail, "policy"), num(Src::count, "workers"), num(Src::arg, "seed"),
         "config"),
    // run_end
    spec(named<RunOutcome>(Src::detail, "outcome"), num(Src::arg, "alive")),
    // worker_start
    spec(named<WorkerRole>(Src::detail, "role")),
    // worker_park
    spec(),
    // worker_unpark
    spec(fmt(Src::arg, "by", Fmt::task)),
    // worker_steal
    spec(fmt(Src::object, "victim", Fmt::worker), num(Src::count, "taken")),
    // task_spawn
    spec(fmt(Src::arg, "parent", Fmt::task), named<TaskFlavor>(Src::detail, "flavor"), "name"),
    // task_scheduled
    spec(named<QueuePlace>(Src::detail, "place"), fmt(Src::object, "queue", Fmt::queue)),
    // poll_start
    spec(),
    // poll_end
    spec(named<PollResult>(Src::detail, "result")),
    // task_wake
    spec(named<WakeCause>(Src::detail, "cause"), fmt(Src::arg, "waker", Fmt::task),
         fmt(Src::object, "obj", Fmt::wake_obj)),
    // task_end
    spec(named<TaskOutcome>(Src::detail, "outcome"), "error"),
    // resource_created
    spec(num(Src::object, "res"), named<ResourceKind>(Src::detail, "type"),
         fmt(Src::count, "cap", Fmt::capacity), "name"),
    // chan_send
    spec(num(Src::object, "chan"), num(Src::arg, "msg"), num(Src::count, "len")),
    // chan_recv
    spec(num(Src::object, "chan"), num(Src::arg, "msg"), num(Src::count, "len")),
    // chan_try_fail
    spec(num(Src::object, "chan"), named<TryFail>(Src::detail, "fail"), num(Src::count, "len")),
    // chan_close
    spec(num(Src::object, "chan"), named<CloseReason>(Src::detail, "reason")),
    // chan_lag
    spec(num(Src::object, "chan"), num(Src::arg, "skipped")),
    // chan_drop
    spec(num(Src::object, "chan"), named<EndpointRole>(Src::detail, "role"),
         num(Src::count, "live")),
    // wait_start
    spec(num(Src::object, "res"), named<WaitOp>(Src::detail, "op")),
    // wait_end
    spec(num(Src::object, "res"), named<WaitOp>(Src::detail, "op"),
         named<WaitResult>(Src::count, "result")),
    // lock_acquire
    spec(num(Src::object, "lock"), named<LockMode>(Src::detail, "mode"),
         num(Src::count, "permits")),
    // lock_release
    spec(num(Src::object, "lock"), named<LockMode>(Src::detail, "mode"),
         num(Src::count, "permits")),
    // timer_set
    spec(num(Src::object, "timer"), fmt(Src::arg, "deadline", Fmt::ms)),
    // timer_fired
    spec(num(Src::object, "timer"), fmt(Src::arg, "deadline", Fmt::ms)),
    // timer_cancelled
    spec(num(Src::object, "timer"), fmt(Src::arg, "deadline", Fmt::ms)),
    // select_start
    spec(num(Src::object, "select"), num(Src::count, "branches"),
         fmt(Src::detail, "biased", Fmt::flag)),
    // select_winner
    spec(num(Src::object, "select"), num(Src::count, "branch")),
    // log
    spec("msg"),
};

std::uint64_t value_of(const Event& e, Src src) {
    switch (src) {
        case Src::detail:
            return e.detail;
        case Src::object:
            return e.object;
        case Src::count:
            return e.count;
        case Src::arg:
            return e.arg;
    }
    return 0;
}

void append_u64(std::string& out, std::uint64_t v) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

void append_ms(std::string& out, bool negative, std::uint64_t ns) {
    if (negative) out += '-';
    append_u64(out, ns / 1'000'000);
    out += '.';
    char frac[6];
    std::uint64_t rest = ns % 1'000'000;
    for (int i = 5; i >= 0; --i) {
        frac[i] = static_cast<char>('0' + rest % 10);
        rest /= 10;
    }
    out.append(frac, sizeof frac);
    out += "ms";
}

void append_signed_ms(std::string& out, std::int64_t ns) {
    // Magnitude in unsigned arithmetic so INT64_MIN is exact.
    const bool negative = ns < 0;
    const auto magnitude =
        negative ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    append_ms(out, negative, magnitude);
}

void append_quoted(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (u < 0x20 || u == 0x7F) {
                    out += "\\x";
                    out += kHex[u >> 4];
                    out += kHex[u & 0xF];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

void append_field(std::string& out, const Event& e, const Field& f) {
    const std::uint64_t v = value_of(e, f.src);
    out += ' ';
    if (f.fmt == Fmt::wake_obj) {
        switch (static_cast<WakeCause>(e.detail)) {
            case WakeCause::timer:
                out += "timer";
                break;
            case WakeCause::resource:
                out += "res";
                break;
            default:
                out += "obj";
                break;
        }
    } else {
        out += f.label;
    }
    out += '=';
    switch (f.fmt) {
        case Fmt::num:
        case Fmt::wake_obj:
            append_u64(out, v);
            return;
        case Fmt::task:
            if (v == 0)
                out += '-';
            else
                append_u64(out, v);
            return;
        case Fmt::worker:
            if (v == kNoWorker)
                out += '-';
            else
                append_u64(out, v);
            return;
        case Fmt::queue:
            if (v == kNoWorker)
                out += "global";
            else
                append_u64(out, v);
            return;
        case Fmt::capacity:
            if (v == kUnbounded)
                out += "unbounded";
            else
                append_u64(out, v);
            return;
        case Fmt::ms:
            append_ms(out, false, v);
            return;
        case Fmt::flag:
            if (v <= 1)
                out += v ? "true" : "false";
            else {
                out += '?';
                append_u64(out, v);
            }
            return;
        case Fmt::name: {
            const std::string_view name = f.names(v);
            out += name;
            if (name == kUnknownName) append_u64(out, v);
            return;
        }
    }
}

void append_event(std::string& out, const Event& e, std::string_view text,
                  const TextDumpOptions& options) {
    if (options.show_seq) {
        append_u64(out, e.seq);
        out += ' ';
    }
    append_signed_ms(out, e.time_ns);
    out += " w";
    if (e.worker == kNoWorker)
        out += '-';
    else
        append_u64(out, e.worker);
    out += " t";
    if (e.task == 0)
        out += '-';
    else
        append_u64(out, e.task);
    out += ' ';

    const auto raw_kind = static_cast<std::uint8_t>(e.kind);
    static const KindSpec kUnknownSpec = spec();
    const KindSpec& s = is_known_kind(raw_kind) ? kSpecs[raw_kind] : kUnknownSpec;
    if (is_known_kind(raw_kind)) {
        out += to_string(e.kind);
    } else {
        out += '?';
        append_u64(out, raw_kind);
    }

    bool used[4] = {false, false, false, false};
    for (int i = 0; i < s.field_count; ++i) {
        append_field(out, e, s.fields[i]);
        used[static_cast<int>(s.fields[i].src)] = true;
    }
    // Fields this kind does not define are shown raw when set, so the dump is lossless.
    static constexpr std::array<std::string_view, 4> kRawLabels = {"detail", "obj", "count", "arg"};
    for (int i = 0; i < 4; ++i) {
        const std::uint64_t v = value_of(e, static_cast<Src>(i));
        if (used[i] || v == 0) continue;
        out += ' ';
        out += kRawLabels[i];
        out += '=';
        append_u64(out, v);
    }
    if (e.text != 0) {
        out += ' ';
        out += s.text_label;
        out += '=';
        append_quoted(out, text);
    }
}

}  // namespace

std::string format_event(const Event& event, std::string_view text,
                         const TextDumpOptions& options) {
    std::string line;
    append_event(line, event, text, options);
    return line;
}

std::string format_ms(std::int64_t ns) {
    std::string out;
    append_signed_ms(out, ns);
    return out;
}

std::string quote_text(std::string_view text) {
    std::string out;
    append_quoted(out, text);
    return out;
}

TextDump::TextDump(std::ostream& out, TextDumpOptions options) : m_out(out), m_options(options) {}

void TextDump::on_event(const Event& event, std::string_view text) {
    std::string_view shown;
    if (event.text != 0) {
        // Later events with the same id may come without their text: keep our own copy.
        auto [it, inserted] = m_texts.try_emplace(event.text, text);
        if (!inserted && it->second.empty() && !text.empty()) it->second = std::string(text);
        shown = it->second;
    }
    m_line.clear();
    append_event(m_line, event, shown, m_options);
    m_line += '\n';
    m_out.write(m_line.data(), static_cast<std::streamsize>(m_line.size()));
}

void TextDump::on_finish() {
    m_out.flush();
}

}  // namespace spindle
