// SPDX-License-Identifier: MIT
#include "errortext.h"

#include <QCoreApplication>

using namespace Protocol;

namespace ErrorText {

QString describe(const Error &error, const QString &nick)
{
    switch (error.code) {
    case ErrorCode::NickTaken:
        if (nick.isEmpty())
            return QCoreApplication::translate("ErrorText", "That nickname is already taken. Choose another one.");
        return QCoreApplication::translate("ErrorText", "The nickname \"%1\" is already taken. Choose another one.")
            .arg(nick);
    case ErrorCode::NickInvalid:
        return QCoreApplication::translate("ErrorText", "The server does not accept this nickname (%1).")
            .arg(error.message);
    case ErrorCode::ServerFull:
        return QCoreApplication::translate("ErrorText", "The server is full. Try again later.");
    case ErrorCode::NoSuchUser:
        return QCoreApplication::translate("ErrorText", "Nobody by that name is online (%1).").arg(error.message);
    case ErrorCode::RateLimited:
        if (error.ref == u"op")
            return QCoreApplication::translate(
                "ErrorText", "Too many wrong operator passwords; try again in %n second(s).", nullptr, int(error.wait));
        return QCoreApplication::translate(
            "ErrorText", "You are sending too fast; the server refused a message. Wait a moment and try again.");
    case ErrorCode::TextInvalid:
        return QCoreApplication::translate("ErrorText", "The server refused the message (%1).").arg(error.message);
    case ErrorCode::FrameTooLarge:
        return QCoreApplication::translate("ErrorText", "The message was too large for the server.");
    case ErrorCode::OpDisabled:
        return QCoreApplication::translate("ErrorText", "This server has no operators: /op is not available.");
    case ErrorCode::WrongPassword:
        return QCoreApplication::translate("ErrorText", "Wrong operator password.");
    case ErrorCode::NotOperator:
        return QCoreApplication::translate("ErrorText", "Only operators can do that. Become one with /op PASSWORD.");
    case ErrorCode::Muted:
        return QCoreApplication::translate("ErrorText", "You are muted; you can write again in %n second(s).", nullptr,
                                           int(error.wait));
    case ErrorCode::SlowMode:
        return QCoreApplication::translate(
            "ErrorText", "Slow mode is on; you can send your next message in %n second(s).", nullptr, int(error.wait));
    case ErrorCode::ClusterUnavailable:
        return QCoreApplication::translate("ErrorText",
                                           "The server cannot reach the other chat servers right now, so this was not "
                                           "sent. Try again in a moment.");
    case ErrorCode::RoomInvalid:
        return QCoreApplication::translate("ErrorText", "The server does not accept this room name (%1).")
            .arg(error.message);
    case ErrorCode::NotInRoom:
        return QCoreApplication::translate("ErrorText", "You are not in that room; join it first (%1).")
            .arg(error.message);
    case ErrorCode::CannotPart:
        return QCoreApplication::translate("ErrorText", "Everyone stays in #lobby: it cannot be left.");
    case ErrorCode::TooManyRooms:
        return QCoreApplication::translate("ErrorText", "No more rooms can be joined now (%1).").arg(error.message);
    case ErrorCode::TopicInvalid:
        return QCoreApplication::translate("ErrorText", "The server does not accept this topic (%1).")
            .arg(error.message);
    case ErrorCode::NotRegistered:
    case ErrorCode::AlreadyRegistered:
    case ErrorCode::BadFrame:
    case ErrorCode::UnknownType:
    case ErrorCode::StoreFailed: // the server's message says it was not sent
    case ErrorCode::Timeout:     // our clients register and send whole frames at once: never expected
    case ErrorCode::ServerBusy:  // the server's message says it was not sent and to try again
        break;
    }
    return QCoreApplication::translate("ErrorText", "The server refused a request (%1: %2).")
        .arg(errorCodeName(error.code), error.message);
}

QString describeSocketError(QAbstractSocket::SocketError error, const QString &host, quint16 port,
                            const QString &socketError, const QString &tlsErrors)
{
    // Context "ChatClient": these sentences were the client's before they moved here.
    const QString address = QStringLiteral("%1:%2").arg(host).arg(port);
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QCoreApplication::translate("ChatClient", "Connection refused by %1: is the server running?")
            .arg(address);
    case QAbstractSocket::HostNotFoundError:
        return QCoreApplication::translate("ChatClient", "Unknown host \"%1\".").arg(host);
    case QAbstractSocket::SocketTimeoutError:
        return QCoreApplication::translate("ChatClient", "Timed out connecting to %1.").arg(address);
    case QAbstractSocket::NetworkError:
        return QCoreApplication::translate("ChatClient", "Network error talking to %1.").arg(address);
    case QAbstractSocket::SslHandshakeFailedError:
        return QCoreApplication::translate("ChatClient", "TLS with %1 failed: %2")
            .arg(address, tlsErrors.isEmpty() ? socketError : tlsErrors);
    default:
        return QCoreApplication::translate("ChatClient", "Connection to %1 failed: %2").arg(address, socketError);
    }
}

} // namespace ErrorText
