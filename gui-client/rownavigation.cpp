// SPDX-License-Identifier: MIT
#include "rownavigation.h"

#include <algorithm>

namespace RowNavigation {

qint64 scrollValue(const RowHeights &heights, int row, qint64 value, qint64 page, QAbstractItemView::ScrollHint hint)
{
    const qint64 top = heights.top(row);
    const qint64 height = heights.height(row);
    switch (hint) {
    case QAbstractItemView::EnsureVisible:
        if (top < value || height > page)
            return top;
        if (top + height > value + page)
            return top + height - page;
        return value;
    case QAbstractItemView::PositionAtTop:
        return top;
    case QAbstractItemView::PositionAtBottom:
        return top + height - page;
    case QAbstractItemView::PositionAtCenter:
        return top + height / 2 - page / 2;
    }
    return value;
}

int rowAfter(const RowHeights &heights, Step step, int row, bool hasCurrent, qint64 page)
{
    int next = row;
    switch (step) {
    case Step::Stay:
        break;
    case Step::Previous:
        next = hasCurrent ? row - 1 : row;
        break;
    case Step::Next:
        next = hasCurrent ? row + 1 : row;
        break;
    case Step::First:
        next = 0;
        break;
    case Step::Last:
        next = heights.count() - 1;
        break;
    case Step::PageUp:
        next = heights.rowAt(heights.top(row) - page + heights.height(row));
        break;
    case Step::PageDown:
        next = heights.rowAt(heights.top(row) + page);
        break;
    }
    return std::clamp(next, 0, heights.count() - 1);
}

} // namespace RowNavigation
