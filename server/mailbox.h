// SPDX-License-Identifier: MIT
#pragma once

#include <iterator>
#include <mutex>
#include <utility>
#include <vector>

// A first-in first-out hand-off from any thread to one consumer thread that
// says when the consumer needs waking: only when the box was empty. A queued
// call per item costs a heap-allocated event and an eventfd write (a thread
// wake-up) each, which at 10 clients was most of a message's cost (issue #16,
// docs/performance.md "Per-message path"); with a mailbox a burst of items
// costs one queued call, and the consumer takes all of them at once.
//
// A std::mutex, not a QMutex: ThreadSanitizer sees pthread mutexes, so what
// an item refers to needs no Handoff (server/handoff.h) of its own.
template<typename Item> class Mailbox final
{
public:
    // Any thread. True when the caller must wake the consumer (one queued
    // call to its take()-ing slot): nothing was waiting to be taken.
    bool put(Item item)
    {
        const std::lock_guard lock(m_mutex);
        m_items.push_back(std::move(item));
        return !std::exchange(m_wakePending, true);
    }

    // Several items under one lock, in order; `items` is left empty (its
    // capacity stays with the caller: no buffer changes threads).
    bool putAll(std::vector<Item> &items)
    {
        const std::lock_guard lock(m_mutex);
        m_items.insert(m_items.end(), std::make_move_iterator(items.begin()), std::make_move_iterator(items.end()));
        items.clear();
        return !std::exchange(m_wakePending, true);
    }

    // The consumer thread: everything put so far, in order, into `into`
    // (cleared first). Items move; buffers stay with their threads. A put()
    // after this asks for a new wake-up.
    void takeAll(std::vector<Item> &into)
    {
        into.clear();
        const std::lock_guard lock(m_mutex);
        into.insert(into.end(), std::make_move_iterator(m_items.begin()), std::make_move_iterator(m_items.end()));
        m_items.clear();
        m_wakePending = false;
    }

private:
    std::mutex m_mutex;
    std::vector<Item> m_items;
    bool m_wakePending = false;
};
