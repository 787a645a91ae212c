// SPDX-License-Identifier: MIT
#include "scrollanchor.h"

#include "messagelogmodel.h"
#include "rowheights.h"

void ScrollAnchor::remember(const MessageLogModel &model, const RowHeights &heights, qint64 scrollValue)
{
    const int row = heights.rowAt(scrollValue);
    if (row < 0 || row >= model.rowCount()) {
        clear();
        return;
    }
    m_serial = model.entry(row).serial;
    m_offset = scrollValue - heights.top(row);
}

qint64 ScrollAnchor::restoredValue(const MessageLogModel &model, const RowHeights &heights)
{
    int row = model.rowForSerial(m_serial);
    if (row < 0) {
        row = 0;
        m_offset = 0;
        m_serial = model.rowCount() > 0 ? model.entry(0).serial : 0;
    }
    return heights.top(row) + m_offset;
}
