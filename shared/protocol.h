// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

// Plain structs for every frame of ../shared/PROTOCOL.md (version 1).
// They carry no behaviour: FrameCodec turns them into bytes and back.
namespace Protocol {

constexpr int kVersion = 1;
constexpr quint16 kDefaultPort = 55555;
constexpr qsizetype kDefaultMaxFrameBytes = 65536;
constexpr int kMaxNickLength = 24;
constexpr int kMaxTextLength = 4000;
constexpr int kDefaultHistory = 100;

enum class ErrorCode {
    NotRegistered,
    AlreadyRegistered,
    NickInvalid,
    NickTaken,
    BadFrame,
    UnknownType,
    TextInvalid,
    NoSuchUser,
    RateLimited,
    FrameTooLarge,
    ServerFull,
};

QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(const QString &name);

enum class LeaveReason {
    Quit,
    Disconnected,
    Timeout,
    SlowConsumer,
    Flood,
    Shutdown,
};

QString leaveReasonName(LeaveReason reason);
std::optional<LeaveReason> leaveReasonFromName(const QString &name);

// ---- client to server ----

struct Hello {
    QString nick;
    QString client;
};

struct Say {
    QString text;
    bool action = false;
};

struct Whisper {
    QString to;
    QString text;
};

struct Nick {
    QString nick;
};

struct Who {
};

struct Ping {
    // Absent id stays undefined so the pong can leave it out too.
    QJsonValue id = QJsonValue(QJsonValue::Undefined);
};

struct Bye {
    QString reason;
};

using ClientFrame = std::variant<Hello, Say, Whisper, Nick, Who, Ping, Bye>;

// ---- server to client ----

struct ChatMessage {
    qint64 id = 0;
    QString from;
    QString text;
    QDateTime ts;
    bool action = false;

    friend bool operator==(const ChatMessage &, const ChatMessage &) = default;
};

struct Welcome {
    QString nick;
    QStringList users;
    QList<ChatMessage> history;
    QString server;
    int protocol = kVersion;
};

struct WhisperMessage {
    QString from;
    QString to;
    QString text;
    QDateTime ts;
};

struct Joined {
    QString nick;
    QDateTime ts;
};

struct Left {
    QString nick;
    LeaveReason reason = LeaveReason::Disconnected;
    QDateTime ts;
    // Extension: the text a client gave in its `bye`, if any.
    QString message;
};

struct Renamed {
    QString from;
    QString to;
    QDateTime ts;
};

struct Users {
    QStringList users;
};

struct Pong {
    QJsonValue id = QJsonValue(QJsonValue::Undefined);
};

struct Error {
    ErrorCode code = ErrorCode::BadFrame;
    QString message;
    QString ref;
};

struct ServerBye {
    QString reason;
};

using ServerFrame = std::variant<Welcome, ChatMessage, WhisperMessage, Joined, Left, Renamed, Users, Pong,
                                 Error, ServerBye>;

// The wire name of a frame's `type` field.
QString typeName(const ClientFrame &frame);
QString typeName(const ServerFrame &frame);

} // namespace Protocol
