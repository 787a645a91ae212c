// SPDX-License-Identifier: MIT
#pragma once

#include "messagelogmodel.h"
#include "protocol.h"

// Rows of the conversation for GUI tests: messages made up without a
// server, and the newest row of a kind.
namespace LogRows {

// A chat message from `from`, sent now.
Protocol::ChatMessage message(qint64 id, const QString &from, const QString &text);

// The newest row of `kind`, or nullptr while there is none.
const MessageLogModel::Entry *lastOfKind(const MessageLogModel &log, MessageLogModel::Kind kind);

} // namespace LogRows
