// SPDX-License-Identifier: MIT
#include "logrows.h"

namespace LogRows {

Protocol::ChatMessage message(qint64 id, const QString &from, const QString &text)
{
    Protocol::ChatMessage m;
    m.id = id;
    m.from = from;
    m.text = text;
    m.ts = QDateTime::currentDateTimeUtc();
    return m;
}

const MessageLogModel::Entry *lastOfKind(const MessageLogModel &log, MessageLogModel::Kind kind)
{
    for (int row = log.rowCount() - 1; row >= 0; --row) {
        if (log.entry(row).kind == kind)
            return &log.entry(row);
    }
    return nullptr;
}

} // namespace LogRows
