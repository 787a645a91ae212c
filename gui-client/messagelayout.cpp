// SPDX-License-Identifier: MIT
#include "messagelayout.h"

#include <QElapsedTimer>

#include <algorithm>

namespace {

// Background re-measuring works in slices this long, so input stays responsive.
constexpr int kSliceMsecs = 4;

} // namespace

MessageLayout::MessageLayout(Measure measure, QObject *parent) : QObject(parent), m_measure(std::move(measure))
{
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &MessageLayout::remeasureSlice);
}

MessageLayout::~MessageLayout() = default;

void MessageLayout::append(int first, int last, const Measure &height)
{
    for (int row = first; row <= last; ++row)
        m_heights.append(height(row));
}

void MessageLayout::removeFirst(int count)
{
    m_heights.removeFirst(count);
    m_cursor = std::max(-1, m_cursor - count);
}

void MessageLayout::remeasure(int row)
{
    m_heights.setHeight(row, m_measure(row));
}

void MessageLayout::rebuild(int rowCount, int estimate)
{
    m_heights.clear();
    for (int row = 0; row < rowCount; ++row)
        m_heights.append(estimate);
    invalidate();
}

void MessageLayout::invalidate()
{
    m_heights.markAllStale();
    m_cursor = m_heights.count() - 1;
    if (m_heights.staleCount() > 0)
        m_timer.start();
}

bool MessageLayout::measureRange(qint64 top, qint64 bottom)
{
    bool changed = false;
    int row = m_heights.rowAt(top);
    for (qint64 y = m_heights.top(row); row >= 0 && row < m_heights.count() && y < bottom; ++row) {
        if (m_heights.isStale(row)) {
            m_heights.setHeight(row, m_measure(row));
            changed = true;
        }
        y += m_heights.height(row);
    }
    return changed;
}

void MessageLayout::remeasureSlice()
{
    QElapsedTimer slice;
    slice.start();
    while (m_cursor >= 0 && slice.elapsed() < kSliceMsecs) {
        if (m_cursor < m_heights.count() && m_heights.isStale(m_cursor))
            m_heights.setHeight(m_cursor, m_measure(m_cursor));
        --m_cursor;
    }
    if (m_cursor < 0 || m_heights.staleCount() == 0)
        m_timer.stop();
    emit heightsChanged();
}
