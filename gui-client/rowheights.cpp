// SPDX-License-Identifier: MIT
#include "rowheights.h"

#include <algorithm>
#include <cstdlib>

void RowHeights::append(int height)
{
    height = std::max(0, height);
    if (m_chunks.empty() || m_chunks.back().heights.size() == std::size_t(kChunkRows)) {
        m_chunks.emplace_back();
        m_chunks.back().heights.reserve(kChunkRows);
        // A new chunk's top is the old total; the others do not move.
        if (m_chunkTopsValid)
            m_chunkTops.push_back(m_total);
    }
    m_chunks.back().heights.push_back(height);
    m_chunks.back().sum += height;
    m_total += height;
    ++m_count;
}

void RowHeights::removeFirst(int count)
{
    count = std::min(count, m_count);
    for (int i = 0; i < count; ++i) {
        Chunk &front = m_chunks.front();
        const int h = front.heights[m_frontOffset];
        if (h < 0)
            --m_stale;
        front.sum -= std::abs(h);
        m_total -= std::abs(h);
        --m_count;
        if (++m_frontOffset == front.heights.size()) {
            m_chunks.pop_front();
            m_frontOffset = 0;
        }
    }
    if (count > 0)
        m_chunkTopsValid = false;
    if (m_count == 0)
        clear();
}

void RowHeights::clear()
{
    m_chunks.clear();
    m_frontOffset = 0;
    m_count = 0;
    m_total = 0;
    m_stale = 0;
    m_chunkTops.clear();
    m_chunkTopsValid = false;
}

std::pair<std::size_t, std::size_t> RowHeights::locate(int row) const
{
    const std::size_t flat = std::size_t(row) + m_frontOffset;
    return {flat / kChunkRows, flat % kChunkRows};
}

int RowHeights::height(int row) const
{
    if (row < 0 || row >= m_count)
        return 0;
    const auto [chunk, at] = locate(row);
    return std::abs(m_chunks[chunk].heights[at]);
}

bool RowHeights::isStale(int row) const
{
    if (row < 0 || row >= m_count)
        return false;
    const auto [chunk, at] = locate(row);
    return m_chunks[chunk].heights[at] < 0;
}

void RowHeights::setHeight(int row, int height)
{
    if (row < 0 || row >= m_count)
        return;
    height = std::max(0, height);
    const auto [chunk, at] = locate(row);
    int &stored = m_chunks[chunk].heights[at];
    if (stored < 0)
        --m_stale;
    const int delta = height - std::abs(stored);
    stored = height;
    if (delta == 0)
        return;
    m_chunks[chunk].sum += delta;
    m_total += delta;
    m_chunkTopsValid = false;
}

void RowHeights::markAllStale()
{
    // Zero heights cannot carry the sign; the delegate never measures a row
    // as zero, so they do not occur in practice.
    m_stale = 0;
    for (std::size_t c = 0; c < m_chunks.size(); ++c) {
        std::vector<int> &heights = m_chunks[c].heights;
        for (std::size_t i = c == 0 ? m_frontOffset : 0; i < heights.size(); ++i) {
            if (heights[i] > 0)
                heights[i] = -heights[i];
            if (heights[i] < 0)
                ++m_stale;
        }
    }
}

void RowHeights::rebuildChunkTops() const
{
    m_chunkTops.resize(m_chunks.size());
    qint64 y = 0;
    for (std::size_t i = 0; i < m_chunks.size(); ++i) {
        m_chunkTops[i] = y;
        y += m_chunks[i].sum;
    }
    m_chunkTopsValid = true;
}

qint64 RowHeights::top(int row) const
{
    if (m_count == 0)
        return 0;
    row = std::clamp(row, 0, m_count);
    if (row == m_count)
        return m_total;
    if (!m_chunkTopsValid)
        rebuildChunkTops();
    const auto [chunk, at] = locate(row);
    qint64 y = m_chunkTops[chunk];
    const std::vector<int> &heights = m_chunks[chunk].heights;
    const std::size_t first = chunk == 0 ? m_frontOffset : 0;
    for (std::size_t i = first; i < at; ++i)
        y += std::abs(heights[i]);
    return y;
}

int RowHeights::rowAt(qint64 y) const
{
    if (m_count == 0)
        return -1;
    if (y <= 0)
        return 0;
    if (y >= m_total)
        return m_count - 1;
    if (!m_chunkTopsValid)
        rebuildChunkTops();
    // The last chunk whose top is <= y.
    const auto next = std::upper_bound(m_chunkTops.cbegin(), m_chunkTops.cend(), y);
    const std::size_t chunk = std::size_t(std::distance(m_chunkTops.cbegin(), next)) - 1;
    const std::vector<int> &heights = m_chunks[chunk].heights;
    const std::size_t first = chunk == 0 ? m_frontOffset : 0;
    qint64 bottom = m_chunkTops[chunk];
    for (std::size_t i = first; i < heights.size(); ++i) {
        bottom += std::abs(heights[i]);
        if (y < bottom)
            return int(chunk * kChunkRows + i - m_frontOffset);
    }
    return m_count - 1;
}
