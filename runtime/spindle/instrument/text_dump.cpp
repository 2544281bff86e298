// Text dump formatting. The per-kind table below says which payload members a dump
// line shows, under which label and how; which generic field holds each member comes
// from event_payloads.h, and values are read whole so a damaged stream shows as is.
//
// State: see text_dump.h (TextDump's text copies); everything else is pure.

#include "spindle/instrument/text_dump.h"

#include <array>
#include <charconv>
#include <initializer_list>
#include <ostream>
#include <type_traits>

#include "spindle/instrument/event_names.h"
#include "spindle/instrument/event_payloads.h"
#include "spindle/instrument/terminal_text.h"

namespace spindle {

namespace {

/// How a field's value is printed.
enum class Fmt : std::uint8_t {
    num,       ///< decimal
    num_set,   ///< decimal, and the whole field left out when the value is 0
    task,      ///< task id, "-" for 0
    worker,    ///< worker id, "-" for kNoWorker
    queue,     ///< worker id, "global" for kNoWorker
    capacity,  ///< decimal, "unbounded" for kUnbounded
    ms,        ///< unsigned nanoseconds as milliseconds
    flag,      ///< 0 = false, 1 = true
    flag_set,  ///< a flag shown only when set ("holds_worker=true"), left out when 0
    name,      ///< enum name via DumpField::names
    name_set,  ///< enum name, and the whole field left out when the value is 0
    wake_obj,  ///< task_wake source: labelled "timer"/"res"/"obj" by cause
};

using NameFn = std::string_view (*)(std::uint64_t);

template <class E>
constexpr NameFn names_of() {
    return [](std::uint64_t v) -> std::string_view {
        return v > 0xFF ? kUnknownName : to_string(static_cast<E>(v));
    };
}

/// One shown field: a payload member, found in the generic field that
/// event_payloads.h maps it to and read whole, so a damaged value shows as it is.
struct DumpField {
    EventKind kind = EventKind::log;  ///< kind of the payload the member belongs to
    payload::Slot src = payload::Slot::detail;
    std::string_view label;
    Fmt fmt = Fmt::num;
    NameFn names = nullptr;
};

struct KindSpec {
    EventKind kind = EventKind::log;
    std::array<DumpField, 3> fields{};
    int field_count = 0;
    std::string_view text_label = "text";
};

template <class P, class T>
constexpr DumpField fmt(T P::*member, std::string_view label, Fmt f) {
    return {P::kind, payload::slot_of(member), label, f, nullptr};
}
template <class P, class T>
constexpr DumpField num(T P::*member, std::string_view label) {
    return fmt(member, label, Fmt::num);
}
template <class P, class E>
constexpr DumpField named(E P::*member, std::string_view label) {
    static_assert(std::is_enum_v<E>, "named() shows an enum member");
    return {P::kind, payload::slot_of(member), label, Fmt::name, names_of<E>()};
}

/// The dump of payload P's kind: its fields in this order, then the text under `text_label`.
template <class P>
constexpr KindSpec spec(std::initializer_list<DumpField> fields = {},
                        std::string_view text_label = "text") {
    KindSpec s;
    s.kind = P::kind;
    s.text_label = text_label;
    for (const DumpField& f : fields) {
        if (f.kind != P::kind) throw "text dump: a field of another kind's payload";
        s.fields[static_cast<std::size_t>(s.field_count++)] = f;
    }
    return s;
}

// Indexed by EventKind; the fields' generic slots come from event_payloads.h.
constexpr std::array<KindSpec, kEventKindCount> kSpecs = {
    spec<payload::RunStart>(
        {named(&payload::RunStart::policy, "policy"), num(&payload::RunStart::workers, "workers"),
         num(&payload::RunStart::seed, "seed")},
        "config"),
    spec<payload::RunEnd>(
        {named(&payload::RunEnd::outcome, "outcome"), num(&payload::RunEnd::alive, "alive")},
        "reason"),
    spec<payload::WorkerStart>({named(&payload::WorkerStart::role, "role"),
                                fmt(&payload::WorkerStart::pool, "pool", Fmt::num_set)}),
    spec<payload::WorkerPark>(),
    spec<payload::WorkerUnpark>({fmt(&payload::WorkerUnpark::by, "by", Fmt::task)}),
    spec<payload::WorkerSteal>({fmt(&payload::WorkerSteal::victim, "victim", Fmt::worker),
                                num(&payload::WorkerSteal::taken, "taken")}),
    spec<payload::TaskSpawn>({fmt(&payload::TaskSpawn::parent, "parent", Fmt::task),
                              named(&payload::TaskSpawn::flavor, "flavor")},
                             "name"),
    spec<payload::TaskScheduled>({named(&payload::TaskScheduled::place, "place"),
                                  fmt(&payload::TaskScheduled::queue, "queue", Fmt::queue),
                                  fmt(&payload::TaskScheduled::pool, "pool", Fmt::num_set)}),
    spec<payload::PollStart>(),
    spec<payload::PollEnd>({named(&payload::PollEnd::result, "result")}),
    spec<payload::TaskWake>({named(&payload::TaskWake::cause, "cause"),
                             fmt(&payload::TaskWake::waker, "waker", Fmt::task),
                             fmt(&payload::TaskWake::source, "obj", Fmt::wake_obj)}),
    spec<payload::TaskEnd>({named(&payload::TaskEnd::outcome, "outcome")}, "error"),
    spec<payload::ResourceCreated>({num(&payload::ResourceCreated::resource, "res"),
                                    named(&payload::ResourceCreated::type, "type"),
                                    fmt(&payload::ResourceCreated::capacity, "cap", Fmt::capacity)},
                                   "name"),
    spec<payload::ChanSend>({num(&payload::ChanSend::chan, "chan"),
                             num(&payload::ChanSend::message, "msg"),
                             num(&payload::ChanSend::len, "len")}),
    spec<payload::ChanRecv>({num(&payload::ChanRecv::chan, "chan"),
                             num(&payload::ChanRecv::message, "msg"),
                             num(&payload::ChanRecv::len, "len")}),
    spec<payload::ChanTryFail>({num(&payload::ChanTryFail::chan, "chan"),
                                named(&payload::ChanTryFail::fail, "fail"),
                                num(&payload::ChanTryFail::len, "len")}),
    // The buffered length (count) is not labelled: it shows raw as count=.
    spec<payload::ChanClose>(
        {num(&payload::ChanClose::chan, "chan"), named(&payload::ChanClose::reason, "reason")}),
    spec<payload::ChanLag>(
        {num(&payload::ChanLag::chan, "chan"), num(&payload::ChanLag::skipped, "skipped")}),
    spec<payload::ChanDrop>({num(&payload::ChanDrop::chan, "chan"),
                             named(&payload::ChanDrop::role, "role"),
                             num(&payload::ChanDrop::live, "live")}),
    spec<payload::WaitStart>(
        {num(&payload::WaitStart::resource, "res"), named(&payload::WaitStart::op, "op"),
         fmt(&payload::WaitStart::holds_worker, "holds_worker", Fmt::flag_set)}),
    spec<payload::WaitEnd>({num(&payload::WaitEnd::resource, "res"),
                            named(&payload::WaitEnd::op, "op"),
                            named(&payload::WaitEnd::result, "result")}),
    spec<payload::LockAcquire>({num(&payload::LockAcquire::lock, "lock"),
                                named(&payload::LockAcquire::mode, "mode"),
                                num(&payload::LockAcquire::permits, "permits")}),
    spec<payload::LockRelease>({num(&payload::LockRelease::lock, "lock"),
                                named(&payload::LockRelease::mode, "mode"),
                                num(&payload::LockRelease::permits, "permits")}),
    spec<payload::TimerSet>({num(&payload::TimerSet::timer, "timer"),
                             fmt(&payload::TimerSet::deadline_ns, "deadline", Fmt::ms)}),
    spec<payload::TimerFired>({num(&payload::TimerFired::timer, "timer"),
                               fmt(&payload::TimerFired::deadline_ns, "deadline", Fmt::ms)}),
    spec<payload::TimerCancelled>(
        {num(&payload::TimerCancelled::timer, "timer"),
         fmt(&payload::TimerCancelled::deadline_ns, "deadline", Fmt::ms)}),
    spec<payload::SelectStart>({num(&payload::SelectStart::select, "select"),
                                num(&payload::SelectStart::branches, "branches"),
                                fmt(&payload::SelectStart::biased, "biased", Fmt::flag)}),
    // The branch name (text) shows under the default label.
    spec<payload::SelectWinner>({num(&payload::SelectWinner::select, "select"),
                                 num(&payload::SelectWinner::branch, "branch")}),
    // A print shows only its text; a failed check adds kind=check_failed.
    spec<payload::Log>({{payload::Log::kind, payload::slot_of(&payload::Log::type), "kind",
                         Fmt::name_set, names_of<LogKind>()}},
                       "msg"),
};

constexpr bool specs_follow_kinds() {
    for (std::size_t i = 0; i < kSpecs.size(); ++i)
        if (kSpecs[i].kind != static_cast<EventKind>(i)) return false;
    return true;
}
static_assert(specs_follow_kinds(), "kSpecs must list the kinds in EventKind order");

/// The generic fields a dump may show raw, in this order, with their labels.
constexpr std::array<payload::Slot, 4> kRawSlots = {payload::Slot::detail, payload::Slot::object,
                                                    payload::Slot::count, payload::Slot::arg};
constexpr std::array<std::string_view, 4> kRawLabels = {"detail", "obj", "count", "arg"};

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
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
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
                // Controls (C0, DEL, C1) and bytes that are not UTF-8 as \xHH: a dump on
                // a terminal shows them rather than obeying them.
                if (const std::size_t n = printable_length(text, i)) {
                    out.append(text, i, n);
                    i += n - 1;
                } else {
                    out += "\\x";
                    out += kHex[u >> 4];
                    out += kHex[u & 0xF];
                }
        }
    }
    out += '"';
}

void append_field(std::string& out, const Event& e, const DumpField& f) {
    const std::uint64_t v = payload::raw_value(e, f.src);
    if ((f.fmt == Fmt::name_set || f.fmt == Fmt::flag_set || f.fmt == Fmt::num_set) && v == 0)
        return;
    out += ' ';
    if (f.fmt == Fmt::wake_obj) {
        switch (e.as<payload::TaskWake>().cause) {
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
        case Fmt::num_set:
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
        case Fmt::flag_set:
            if (v <= 1)
                out += v ? "true" : "false";
            else {
                out += '?';
                append_u64(out, v);
            }
            return;
        case Fmt::name:
        case Fmt::name_set: {
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
    static constexpr KindSpec kUnknownSpec{};
    const KindSpec& s = is_known_kind(raw_kind) ? kSpecs[raw_kind] : kUnknownSpec;
    if (is_known_kind(raw_kind)) {
        out += to_string(e.kind);
    } else {
        out += '?';
        append_u64(out, raw_kind);
    }

    bool used[kRawSlots.size()] = {};
    for (int i = 0; i < s.field_count; ++i) {
        const DumpField& f = s.fields[static_cast<std::size_t>(i)];
        append_field(out, e, f);
        for (std::size_t r = 0; r < kRawSlots.size(); ++r)
            if (kRawSlots[r] == f.src) used[r] = true;
    }
    // Fields this kind does not define are shown raw when set, so the dump is lossless.
    for (std::size_t i = 0; i < kRawSlots.size(); ++i) {
        const std::uint64_t v = payload::raw_value(e, kRawSlots[i]);
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
