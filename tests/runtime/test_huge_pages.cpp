// Huge-page mappings (map_huge, grow_huge): aligned, zeroed, and grown without losing
// what they held, both where they are and when something sits right after them.
#include <catch2/catch.hpp>

#include <sys/mman.h>

#include <cstdint>
#include <cstring>

#include "spindle/instrument/huge_pages.h"

using namespace spindle;

namespace {

bool aligned(const void* p) {
    return reinterpret_cast<std::uintptr_t>(p) % kHugePageBytes == 0;
}

void fill(unsigned char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; i += 4096)
        p[i] = static_cast<unsigned char>(i / 4096 + 1);
}

bool filled(const unsigned char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; i += 4096)
        if (p[i] != static_cast<unsigned char>(i / 4096 + 1)) return false;
    return true;
}

}  // namespace

TEST_CASE("map_huge gives aligned zeroed memory and round_to_huge_pages rounds up") {
    CHECK(round_to_huge_pages(0) == 0);
    CHECK(round_to_huge_pages(1) == kHugePageBytes);
    CHECK(round_to_huge_pages(kHugePageBytes) == kHugePageBytes);
    CHECK(round_to_huge_pages(kHugePageBytes + 1) == 2 * kHugePageBytes);
    auto* p = static_cast<unsigned char*>(map_huge(kHugePageBytes));
    CHECK(aligned(p));
    CHECK(p[0] == 0);
    CHECK(p[kHugePageBytes - 1] == 0);
    unmap_huge(p, kHugePageBytes);
}

TEST_CASE("grow_huge keeps the contents, in place or moved") {
    const std::size_t a = kHugePageBytes, b = 3 * kHugePageBytes;
    auto* p = static_cast<unsigned char*>(map_huge(a));
    fill(p, a);

    SECTION("room after it") {
        auto* q = static_cast<unsigned char*>(grow_huge(p, a, b));
        CHECK(aligned(q));
        CHECK(filled(q, a));
        CHECK(q[b - 1] == 0);
        q[b - 1] = 7;  // the grown part is writable
        unmap_huge(q, b);
    }
    SECTION("something mapped right after it: it moves") {
        void* blocker = ::mmap(p + a, 4096, PROT_READ,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        REQUIRE(blocker == p + a);
        auto* q = static_cast<unsigned char*>(grow_huge(p, a, b));
        CHECK(q != p);
        CHECK(aligned(q));
        CHECK(filled(q, a));
        CHECK(q[b - 1] == 0);
        q[b - 1] = 7;
        unmap_huge(q, b);
        ::munmap(blocker, 4096);
    }
}
