// A load of a big RDB file allocates gigabytes in small pieces, and the first write to each
// new page of the heap faults: the kernel zeroes the page on the loading thread. On this
// project's machines that zeroing (clear_page) was about a quarter of a start-up load. While a
// HeapPrefaulter is held, malloc grows its heap in large steps (M_TOP_PAD) and a second
// thread populates (MADV_POPULATE_WRITE) the memory just past where the loading thread
// allocates, before it gets there, so the zeroing runs on another core. Populating writes
// nothing to the memory: it is safe on pages malloc is already handing out, and what lies
// past the end of the heap is not mapped, so it is not touched.
//
// Where the loading thread allocates comes from ahead(): the address of something it has
// just allocated. Not the program break: Node's V8 may reserve its code range right above
// the break, and malloc then grows the heap with mmap instead.
//
// Process-wide: holders share one thread and one setting, which ends with the last holder
// (M_TOP_PAD goes back to glibc's default, even if GLIBC_TUNABLES had set another).
// Linux with glibc only; elsewhere, or on kernels before 5.14, holding one does nothing.
#pragma once
namespace raa {

class HeapPrefaulter {
 public:
  HeapPrefaulter();
  ~HeapPrefaulter();
  HeapPrefaulter(const HeapPrefaulter&) = delete;
  HeapPrefaulter& operator=(const HeapPrefaulter&) = delete;

  // The loading thread has just allocated at p.
  static void ahead(const void* p);
};

}  // namespace raa
