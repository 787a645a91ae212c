// SPDX-License-Identifier: MIT
#pragma once

// Tells ThreadSanitizer that handing an object to another thread through a
// queued signal orders the sender's writes before the receiver's reads.
// Qt's event queue does order them, but Debian's Qt is not built with TSan
// and its futex-based QMutex is invisible to it (docs/testing.md). Without
// TSan both functions are empty and vanish.
#if defined(__SANITIZE_THREAD__)
#define QTCHAT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define QTCHAT_TSAN 1
#endif
#endif

#ifdef QTCHAT_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace Handoff {

// In the sending thread, after the object is complete and before it is emitted.
inline void send([[maybe_unused]] const void *object)
{
#ifdef QTCHAT_TSAN
    __tsan_release(const_cast<void *>(object));
#endif
}

// In the receiving slot, before the object is read.
inline void receive([[maybe_unused]] const void *object)
{
#ifdef QTCHAT_TSAN
    __tsan_acquire(const_cast<void *>(object));
#endif
}

} // namespace Handoff
