#include "spindle/instrument/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace spindle {

namespace {

void advise_huge(void* at, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
    ::madvise(at, bytes, MADV_HUGEPAGE);  // a hint; may fail
#else
    (void)at;
    (void)bytes;
#endif
}

/// Reserves `bytes` of address space aligned to kHugePageBytes (mapped, untouched).
void* map_aligned(std::size_t bytes) {
    const std::size_t padded = bytes + kHugePageBytes;
    void* raw = ::mmap(nullptr, padded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (start + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
    // Give back the unaligned head and the tail past the mapping.
    if (aligned > start) ::munmap(raw, aligned - start);
    const std::uintptr_t tail = aligned + bytes;
    const std::uintptr_t mapped_end = start + padded;
    if (mapped_end > tail) ::munmap(reinterpret_cast<void*>(tail), mapped_end - tail);
    return reinterpret_cast<void*>(aligned);
}

}  // namespace

void* map_huge(std::size_t bytes) {
    void* at = map_aligned(bytes);
    advise_huge(at, bytes);
    return at;
}

void unmap_huge(void* at, std::size_t bytes) {
    if (at) ::munmap(at, bytes);
}

void* grow_huge(void* at, std::size_t old_bytes, std::size_t new_bytes) {
    // Where it is, if the address space after it is free.
    void* grown = ::mremap(at, old_bytes, new_bytes, 0);
    if (grown == MAP_FAILED) {
        // Else to a fresh aligned place: mremap replaces the reservation with the old
        // pages (moved, not copied) followed by fresh ones.
        void* target = map_aligned(new_bytes);
        grown = ::mremap(at, old_bytes, new_bytes, MREMAP_MAYMOVE | MREMAP_FIXED, target);
        if (grown == MAP_FAILED) {
            ::munmap(target, new_bytes);
            throw std::bad_alloc();
        }
    }
    advise_huge(grown, new_bytes);
    return grown;
}

}  // namespace spindle
