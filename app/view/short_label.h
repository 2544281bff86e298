#pragma once
// Short labels: the one rule for fitting a task's name into a small space (a poll
// slice on a thread lane, a chip on the Stage). Names of siblings often share a
// beginning ("worker 1" … "worker 4", "transfer a->b" / "transfer b->a"), so
// cutting on the right makes them all read alike ("work…"). The part that tells
// a name apart — its tail — is kept whole, and the beginning gives way:
// "worker 3" → "wo…3" → "…3".
//
// State: none. Pure functions over UTF-8 strings, measured through a callback
// (a font's metrics in the painters, a fixed advance in tests); they never cut a
// character in two. Plain C++: no Qt.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace spindle::view {

/// The width of some UTF-8 text, in pixels.
using TextWidth = std::function<double(std::string_view)>;

/// The ellipsis shortened labels use ("…", UTF-8).
inline constexpr std::string_view kEllipsis = "\u2026";

/// For each of `names`, the byte offset where its tail begins: the word or number
/// where it departs from the name closest to it ("worker 3" beside "worker 4": 7,
/// "3"; "transfer b->a" beside "transfer a->b": 9, "b->a"). A name sharing no
/// beginning with another keeps its last word ("job queue": 4) or its trailing
/// digits ("job12": 3); 0 means no tail (the name is cut on the right).
std::vector<std::size_t> label_tails(const std::vector<std::string>& names);

/// `name` shortened to fit `width`: the name itself when it fits; else as much of
/// its beginning as fits, an ellipsis and the tail starting at byte `tail`
/// ("wo…3"), down to the ellipsis and the tail ("…3"); else the name cut on the
/// right keeping at least two characters ("pr…"); else "" (nothing fits).
std::string short_label(std::string_view name, std::size_t tail, double width,
                        const TextWidth& measure);

}  // namespace spindle::view
