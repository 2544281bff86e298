#pragma once
// The run's pseudo-random generator (xoshiro256**, seeded through splitmix64).
//
// Every random choice the runtime makes comes from one instance owned by the
// executor, so a seed fixes the schedule. The output is defined by this code
// alone (no <random> distributions, whose results differ between libraries).

#include <cstdint>

namespace spindle {

/// Deterministic 64-bit PRNG with a stable output sequence for a given seed.
class Rng {
public:
    explicit Rng(std::uint64_t seed = 1) { reseed(seed); }

    void reseed(std::uint64_t seed) {
        std::uint64_t x = seed;
        for (auto& s : m_s)
            s = splitmix64(x);
    }

    /// Next raw 64-bit value.
    std::uint64_t next() {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    /// Uniform value in [0, bound); 0 when bound is 0. Unbiased (rejection sampling).
    std::uint64_t below(std::uint64_t bound) {
        if (bound <= 1) return 0;
        const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
        std::uint64_t v;
        do
            v = next();
        while (v >= limit);
        return v % bound;
    }

    /// Uniform double in [0, 1) with 53 random bits.
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix64(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    std::uint64_t m_s[4];
};

}  // namespace spindle
