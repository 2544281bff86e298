#pragma once
// Helpers shared by the runtime tests: a small runtime configuration, events of
// one kind from a recording, and enum-to-byte for comparing event fields.

#include <cstdint>
#include <vector>

#include "spindle/core/config.h"
#include "spindle/instrument/recorder.h"

namespace rt_test {

inline constexpr spindle::Nanos kMs = spindle::Nanos(1'000'000);

/// A test runtime: `workers` workers, `seed`, `policy`, and a poll cost of 1 µs
/// unless `poll_cost` says otherwise (the runtime's default is 2 µs).
inline spindle::RuntimeConfig config_with(int workers, std::uint64_t seed,
                                          spindle::Policy policy = spindle::Policy::work_stealing,
                                          spindle::Nanos poll_cost = spindle::Nanos(1000)) {
    spindle::RuntimeConfig c;
    c.workers = workers;
    c.seed = seed;
    c.policy = policy;
    c.poll_cost = poll_cost;
    return c;
}

/// The recorded events of kind `k`, in order.
inline std::vector<spindle::Event> of_kind(const spindle::Recorder& r, spindle::EventKind k) {
    std::vector<spindle::Event> out;
    for (const spindle::Event& e : r.events())
        if (e.kind == k) out.push_back(e);
    return out;
}

/// An enum as the byte an event carries it in.
template <class E>
std::uint8_t u8(E e) {
    return static_cast<std::uint8_t>(e);
}

}  // namespace rt_test
