// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include <deque>
#include <vector>

// The vertical layout of the message view: one height per row, in chunks,
// so that the operations a chat needs stay cheap however long the
// scrollback is:
//  - append a row at the bottom, drop rows from the top: O(1) per row;
//  - row -> y and y -> row: O(chunks + chunk size), about 300 steps for
//    10,000 rows, no matter how many rows came and went;
//  - change one row's height (after re-measuring it): O(1).
// A row can be marked stale (its height is an estimate from an older width
// or font) and re-measured later; stale rows keep their old height until then.
class RowHeights final
{
public:
    static constexpr int kChunkRows = 256;

    void append(int height);
    void removeFirst(int count);
    void clear();

    int count() const { return m_count; }
    qint64 total() const { return m_total; }

    int height(int row) const;
    // The top of a row, 0 for the first one.
    qint64 top(int row) const;
    // The row that contains y (clamped to the first and last row); -1 if empty.
    int rowAt(qint64 y) const;

    void setHeight(int row, int height); // also clears "stale"
    bool isStale(int row) const;
    void markAllStale();
    int staleCount() const { return m_stale; }

private:
    struct Chunk {
        std::vector<int> heights; // negative: stale, the absolute value is the estimate
        qint64 sum = 0;
    };

    // Where a row lives: chunk index and position in that chunk's vector.
    std::pair<std::size_t, std::size_t> locate(int row) const;
    void rebuildChunkTops() const;

    std::deque<Chunk> m_chunks;
    std::size_t m_frontOffset = 0; // entries of the first chunk already removed
    int m_count = 0;
    qint64 m_total = 0;
    int m_stale = 0;
    mutable std::vector<qint64> m_chunkTops;
    mutable bool m_chunkTopsValid = false;
};
