// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

class MessageLogModel;
class RowHeights;

// Where the user is reading while scrolled up: the row at the top of the
// viewport, by serial (which survives rows being dropped above it), and
// how far the viewport's top is below that row's top. After rows come and
// go, restoredValue() is the scroll position that shows the same thing.
class ScrollAnchor final
{
public:
    void clear() { m_serial = 0; }
    bool isSet() const { return m_serial != 0; }

    void remember(const MessageLogModel &model, const RowHeights &heights, qint64 scrollValue);
    // When the anchored row itself was dropped, the anchor moves to the new first row.
    qint64 restoredValue(const MessageLogModel &model, const RowHeights &heights);

private:
    quint64 m_serial = 0;
    qint64 m_offset = 0;
};
