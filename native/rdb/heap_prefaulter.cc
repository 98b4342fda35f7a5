#include "heap_prefaulter.h"

#include <cstdint>  // before the test below: a C library header defines __GLIBC__

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <pthread.h>
#include <sys/mman.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#endif

namespace raa {

#if defined(__linux__) && defined(__GLIBC__)
namespace {

#ifndef MADV_POPULATE_WRITE
constexpr int MADV_POPULATE_WRITE = 23;  // Linux 5.14
#endif
constexpr int kTopPad = 64 << 20;          // how far malloc grows the heap at a time while held
constexpr int kDefaultTopPad = 128 << 10;  // glibc's own
constexpr size_t kAhead = kTopPad;         // how far past the loader's latest allocation to populate
constexpr uintptr_t kHugePageMask = (2 << 20) - 1;
constexpr auto kPoll = std::chrono::milliseconds(1);

std::atomic<uintptr_t> recent{0};  // HeapPrefaulter::ahead's latest address

struct Worker {
  std::thread thread;
  bool stop = false;  // guarded by Shared::mu
};

struct Shared {
  std::mutex mu;
  std::condition_variable wake;
  int holders = 0;
  std::unique_ptr<Worker> worker;
};
Shared& shared() {
  static Shared* s = new Shared;  // never destroyed: a worker may outlive static destruction at exit
  return *s;
}

// Each poll, populates the kAhead bytes from the latest address the loader gave, unless the
// last populated stretch still reaches well past it. The first pages of a new stretch of
// heap are often touched by malloc itself before a poll comes: the loader pays for those.
void populate(Worker* w) {
  pthread_setname_np(pthread_self(), "raa-prefault");  // as ps and /proc show it
  Shared& s = shared();
  // Kernels before 5.14 refuse the advice (EINVAL) on any memory, such as a page of this
  // thread's own; later, an error only means that a stretch ran into memory that is not the
  // heap (unmapped, or mapped without write access).
  alignas(4096) static thread_local char probe[4096];
  if (madvise(probe, sizeof probe, MADV_POPULATE_WRITE) != 0) return;
  uintptr_t from = 0, to = 0;
  std::unique_lock<std::mutex> lock(s.mu);
  while (!w->stop) {
    s.wake.wait_for(lock, kPoll);
    if (w->stop) break;
    uintptr_t at = recent.load(std::memory_order_relaxed) & ~kHugePageMask;
    if (!at || (at >= from && at + kAhead / 2 <= to)) continue;
    lock.unlock();
    // Stops, with an error, where the heap ends: what lies before it is populated.
    madvise(reinterpret_cast<void*>(at), kAhead, MADV_POPULATE_WRITE);
    from = at;
    to = at + kAhead;
    lock.lock();
  }
}

}  // namespace

void HeapPrefaulter::ahead(const void* p) { recent.store(reinterpret_cast<uintptr_t>(p), std::memory_order_relaxed); }

HeapPrefaulter::HeapPrefaulter() {
  Shared& s = shared();
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.holders++ > 0) return;
  recent.store(0, std::memory_order_relaxed);  // not where an earlier load was
  auto w = std::make_unique<Worker>();
  try {
    w->thread = std::thread(populate, w.get());
  } catch (const std::system_error&) {
    return;  // no thread to spare: the load just runs without it
  }
  // Setting M_TOP_PAD also freezes glibc's adaptive mmap threshold where it stands.
  mallopt(M_TOP_PAD, kTopPad);
  s.worker = std::move(w);
}

HeapPrefaulter::~HeapPrefaulter() {
  Shared& s = shared();
  std::unique_ptr<Worker> w;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (--s.holders > 0 || !s.worker) return;
    mallopt(M_TOP_PAD, kDefaultTopPad);
    w = std::move(s.worker);
    w->stop = true;
  }
  s.wake.notify_all();
  w->thread.join();
}

#else

HeapPrefaulter::HeapPrefaulter() {}
HeapPrefaulter::~HeapPrefaulter() {}
void HeapPrefaulter::ahead(const void*) {}

#endif

}  // namespace raa
