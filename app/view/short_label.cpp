#include "short_label.h"

#include <algorithm>
#include <numeric>

namespace spindle::view {

namespace {

enum class CharClass { letter, digit, other };

/// Bytes of a multi-byte UTF-8 character count as letters, so a token never
/// ends inside a character.
CharClass class_of(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= '0' && u <= '9') return CharClass::digit;
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80) return CharClass::letter;
    return CharClass::other;
}

bool is_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

/// Byte offsets just after each character of `s`.
std::vector<std::size_t> char_ends(std::string_view s) {
    std::vector<std::size_t> ends;
    for (std::size_t i = 1; i <= s.size(); ++i)
        if (i == s.size() || !is_continuation(s[i])) ends.push_back(i);
    return ends;
}

std::string_view trim_right(std::string_view s) {
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    return s;
}

/// The tail of a name that shares no beginning with another: its last word, or
/// its trailing digits; 0 when it has neither.
std::size_t own_tail(std::string_view name) {
    const std::size_t space = name.rfind(' ');
    if (space != std::string_view::npos && space + 1 < name.size()) return space + 1;
    std::size_t i = name.size();
    while (i > 0 && class_of(name[i - 1]) == CharClass::digit)
        --i;
    return i < name.size() ? i : 0;
}

/// The tail of `name` when its first `shared` bytes equal another name's: the
/// token where they part, from its start; 0 when they part in the first token.
std::size_t parting_tail(std::string_view name, std::size_t shared) {
    if (name.empty()) return 0;
    std::size_t i = std::min(shared, name.size() - 1);
    const CharClass c = class_of(name[i]);
    if (c != CharClass::other)
        while (i > 0 && class_of(name[i - 1]) == c)
            --i;
    while (i < name.size() && name[i] == ' ')
        ++i;
    return i < name.size() ? i : 0;
}

std::size_t common_prefix(std::string_view a, std::string_view b) {
    const auto [ia, ib] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
    return static_cast<std::size_t>(ia - a.begin());
}

}  // namespace

std::vector<std::size_t> label_tails(const std::vector<std::string>& names) {
    // The name sharing the longest beginning with a name is next to it in sorted order.
    std::vector<std::size_t> order(names.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
    std::vector<std::size_t> shared(names.size(), 0);
    for (std::size_t k = 1; k < order.size(); ++k) {
        const std::size_t n = common_prefix(names[order[k - 1]], names[order[k]]);
        shared[order[k - 1]] = std::max(shared[order[k - 1]], n);
        shared[order[k]] = std::max(shared[order[k]], n);
    }
    std::vector<std::size_t> tails(names.size(), 0);
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::size_t parted = shared[i] > 0 ? parting_tail(names[i], shared[i]) : 0;
        tails[i] = parted > 0 ? parted : own_tail(names[i]);
    }
    return tails;
}

std::string short_label(std::string_view name, std::size_t tail, double width,
                        const TextWidth& measure) {
    if (measure(name) <= width) return std::string(name);

    // The largest k in [lo, hi] for which fits(k), or lo - 1 when none does (fits is
    // monotonic: fewer characters never make the text wider).
    auto largest = [](std::size_t lo, std::size_t hi, auto fits) {
        std::size_t best = lo - 1;
        while (lo <= hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (fits(mid)) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best;
    };

    if (tail > 0 && tail < name.size()) {
        const std::string_view head = trim_right(name.substr(0, tail));
        const std::string_view rest = name.substr(tail);
        const std::vector<std::size_t> ends = char_ends(head);
        auto text = [&](std::size_t k) {  // the first k characters of the head, "…", the tail
            std::string s(trim_right(head.substr(0, k ? ends[k - 1] : 0)));
            s += kEllipsis;
            s += rest;
            return s;
        };
        const std::size_t k =
            largest(1, ends.size(), [&](std::size_t n) { return measure(text(n)) <= width; });
        if (k >= 1) return text(k);
        if (measure(text(0)) <= width) return text(0);
    }

    const std::vector<std::size_t> ends = char_ends(name);
    if (ends.size() < 2) return {};
    const std::size_t min_chars = 2;
    auto cut = [&](std::size_t k) {
        std::string s(trim_right(name.substr(0, ends[k - 1])));
        s += kEllipsis;
        return s;
    };
    const std::size_t k = largest(min_chars, ends.size() - 1,
                                  [&](std::size_t n) { return measure(cut(n)) <= width; });
    return k >= min_chars ? cut(k) : std::string();
}

}  // namespace spindle::view
