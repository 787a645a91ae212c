// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QAbstractSocket>
#include <QString>

// Server refusals as sentences for people, in their language. The server's
// own `message` is English; it is added only where it names specifics.
namespace ErrorText {

// `nick` is the nickname that was tried, for the registration refusals.
QString describe(const Protocol::Error &error, const QString &nick = {});

// Why a connection to host:port failed or ended. `socketError` is the
// socket's own errorString(); `tlsErrors` what the last handshake complained about.
QString describeSocketError(QAbstractSocket::SocketError error, const QString &host, quint16 port,
                            const QString &socketError, const QString &tlsErrors);

} // namespace ErrorText
