#include "time_range.h"

#include <charconv>
#include <cmath>
#include <string>

namespace spindle::session {

std::optional<double> parse_ms(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (text.empty() || text.front() == '+') return std::nullopt;
    double v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return std::nullopt;
    if (!std::isfinite(v) || v < 0 || v > 1e9) return std::nullopt;
    return v;
}

std::optional<std::pair<std::int64_t, std::int64_t>> parse_ms_range(std::string_view text) {
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos)
        return std::nullopt;
    const auto from = parse_ms(text.substr(0, colon)), to = parse_ms(text.substr(colon + 1));
    if (!from || !to || !(*from < *to)) return std::nullopt;
    const auto a = static_cast<std::int64_t>(std::llround(*from * 1e6));
    const auto b = static_cast<std::int64_t>(std::llround(*to * 1e6));
    if (b <= a) return std::nullopt;
    return std::pair{a, b};
}

}  // namespace spindle::session
