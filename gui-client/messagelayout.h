// SPDX-License-Identifier: MIT
#pragma once

#include "rowheights.h"

#include <QObject>
#include <QTimer>

#include <functional>

// The vertical layout of the message view: RowHeights kept in step with the
// model. New rows are measured when they arrive; after a width or font
// change every row is stale, the caller measures what is on screen at once
// (measureRange) and the rest is re-measured here in short slices between
// events, newest rows first, so a long scrollback never freezes the window.
class MessageLayout final : public QObject
{
    Q_OBJECT

public:
    // Measures one row (its height at the current width and font).
    using Measure = std::function<int(int row)>;

    explicit MessageLayout(Measure measure, QObject *parent = nullptr);
    ~MessageLayout() override;

    const RowHeights &heights() const { return m_heights; }

    // Rows [first, last] were appended; `height` measures them.
    void append(int first, int last, const Measure &height);
    void removeFirst(int count);
    void remeasure(int row);
    // Starts over with `rowCount` rows of `estimate` height, all stale.
    void rebuild(int rowCount, int estimate);
    // Every height is stale (the width or font changed).
    void invalidate();
    // Measures the stale rows between y = top and y = bottom; true if any height changed.
    bool measureRange(qint64 top, qint64 bottom);

signals:
    // A background slice changed heights: the view updates its scroll range and repaints.
    void heightsChanged();

private:
    void remeasureSlice();

    RowHeights m_heights;
    Measure m_measure;
    QTimer m_timer;
    int m_cursor = -1; // the next row the background pass looks at, counting down
};
