#pragma once
// Huge-page memory: anonymous mappings aligned to 2 MiB and advised MADV_HUGEPAGE,
// so the kernel backs every whole 2 MiB of them with one huge page where it allows
// (its transparent huge pages in "madvise" mode). Touching fresh memory then costs
// one page fault per 2 MiB instead of one per 4 KiB, which dominates filling large
// arrays on machines where faults are slow. Used by EventLog's chunks (the
// recorder) and by the view model's large arrays (view::HugeVector), which grow a
// mapping in place of copying it. No state: plain functions over mmap/mremap.

#include <cstddef>

namespace spindle {

/// The huge page size these mappings are aligned to.
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

/// `bytes` rounded up to whole huge pages.
constexpr std::size_t round_to_huge_pages(std::size_t bytes) {
    return (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
}

/// Maps `bytes` (a multiple of kHugePageBytes) of zeroed memory, aligned to
/// kHugePageBytes and advised MADV_HUGEPAGE. Throws std::bad_alloc when it cannot.
void* map_huge(std::size_t bytes);

/// Unmaps what map_huge or grow_huge returned (`bytes` as mapped).
void unmap_huge(void* at, std::size_t bytes);

/// Grows a map_huge mapping of `old_bytes` to `new_bytes` (both multiples of
/// kHugePageBytes) without copying its contents: the kernel moves its pages to a new
/// aligned place when it cannot extend it where it is. Returns the new start; the
/// old one is then gone. Throws std::bad_alloc when it cannot (the old mapping stays).
void* grow_huge(void* at, std::size_t old_bytes, std::size_t new_bytes);

}  // namespace spindle
