// SPDX-License-Identifier: MIT
#pragma once

#include "rowheights.h"

#include <QAbstractItemView>

// Where the message view's keyboard navigation and scrollTo() lead, worked
// out from the rows' heights alone (no widget), so they can be tested as
// plain functions.
namespace RowNavigation {

// The scroll position that shows `row` as `hint` asks, from `value` with a
// viewport `page` pixels high (not clamped to the scroll range).
qint64 scrollValue(const RowHeights &heights, int row, qint64 value, qint64 page, QAbstractItemView::ScrollHint hint);

// A keyboard movement (QAbstractItemView::CursorAction, which is protected).
enum class Step { Stay, Previous, Next, First, Last, PageUp, PageDown };

// The row a step leads to from `row`; `hasCurrent` is false when `row` is
// only where navigation starts (Previous and Next stay there then).
int rowAfter(const RowHeights &heights, Step step, int row, bool hasCurrent, qint64 page);

} // namespace RowNavigation
