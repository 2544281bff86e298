// The time formatter (see time_format.h). Its outputs are pinned by the table in
// tests/app/time_format_cases.h; change them only together.
#include "time_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace spindle::view {

namespace {

/// Every unit, largest first, with the decimals a column of times shows in it.
constexpr TimeUnit kUnits[] = {{1e9, "s", 3}, {1e6, "ms", 3}, {1e3, "µs", 1}, {1, "ns", 0}};

Time length(const TimeUnit& unit) {
    return static_cast<Time>(unit.ns);
}

}  // namespace

std::string format_time(Time t, Time step) {
    const Time mag = std::max<Time>(std::llabs(t), step);
    const TimeUnit* u = &kUnits[3];
    for (const TimeUnit& c : kUnits)
        if (mag >= length(c)) {
            u = &c;
            break;
        }
    int decimals = 0;
    for (Time s = length(*u); s > step && s > 1 && decimals < 6; s /= 10)
        ++decimals;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f %s", decimals, static_cast<double>(t) / u->ns, u->name);
    return buf;
}

std::string format_time(Time t) {
    // Precise to a tenth of a microsecond below 1 ms, to a microsecond above.
    return format_time(t, std::llabs(t) >= 1'000'000 ? 1'000 : 100);
}

std::string format_duration(Time d) {
    const Time a = std::llabs(d);
    char buf[64];
    if (a >= 1'000'000'000)
        std::snprintf(buf, sizeof buf, "%.3g s", d / 1e9);
    else if (a >= 1'000'000)
        std::snprintf(buf, sizeof buf, "%.3g ms", d / 1e6);
    else if (a >= 1'000)
        std::snprintf(buf, sizeof buf, "%.3g µs", d / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%lld ns", static_cast<long long>(d));
    return buf;
}

TimeUnit axis_unit(Time span) {
    for (const TimeUnit& u : kUnits)
        if (span >= length(u)) return u;
    return kUnits[3];
}

TimeUnit column_unit(Time run_end) {
    // Seconds from 10 s only: a run of a few seconds keeps its ms column.
    const TimeUnit u = axis_unit(run_end);
    return u.ns == kUnits[0].ns && run_end < 10 * length(kUnits[0]) ? kUnits[1] : u;
}

std::string format_fixed(Time t, const TimeUnit& unit) {
    const int decimals = std::clamp(unit.decimals, 0, 20);
    double v = static_cast<double>(t) / unit.ns;
    // to_chars rounds an exact half to even; these texts round it away from zero
    // (as QString::arg did). Exact halves are exactly representable, so one ulp
    // away from zero takes v off the tie without reaching another rounding edge.
    double twice = 2;
    for (int i = 0; i < decimals; ++i)
        twice *= 10;
    const double y = v * twice;
    if (std::fma(v, twice, -y) == 0 && y == std::trunc(y) && std::fmod(y, 2.0) != 0)
        v = std::nextafter(v, v < 0 ? -HUGE_VAL : HUGE_VAL);
    char buf[352];  // the widest double in fixed notation (309 digits) and 20 decimals
    const auto [end, error] =
        std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    std::string text(buf, error == std::errc{} ? end : buf);
    text += ' ';
    text += unit.name;
    return text;
}

}  // namespace spindle::view
