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
// Extension (docs/protocol.md): the most messages a `welcome` carries for a
// `hello` with `since`.
constexpr int kMaxResumeMessages = 1000;

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
    StoreFailed, // extension: the server could not store the message
    Timeout, // extension (docs/protocol.md): a deadline passed, then closed
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
    // Extension: the last message id the client saw; `welcome` then carries
    // the messages after it instead of the recent history.
    std::optional<qint64> since;

    friend bool operator==(const Hello &, const Hello &) = default;
};

struct Say {
    QString text;
    bool action = false;

    friend bool operator==(const Say &, const Say &) = default;
};

struct Whisper {
    QString to;
    QString text;

    friend bool operator==(const Whisper &, const Whisper &) = default;
};

struct Nick {
    QString nick;

    friend bool operator==(const Nick &, const Nick &) = default;
};

struct Who {
    friend bool operator==(const Who &, const Who &) = default;
};

struct Ping {
    // Absent id stays undefined so the pong can leave it out too.
    QJsonValue id = QJsonValue(QJsonValue::Undefined);

    friend bool operator==(const Ping &, const Ping &) = default;
};

struct Bye {
    QString reason;

    friend bool operator==(const Bye &, const Bye &) = default;
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
    // Extension: for a `hello` with `since`, more messages were missed than
    // `history` carries; the oldest of them were left out.
    bool truncated = false;

    friend bool operator==(const Welcome &, const Welcome &) = default;
};

struct WhisperMessage {
    QString from;
    QString to;
    QString text;
    QDateTime ts;

    friend bool operator==(const WhisperMessage &, const WhisperMessage &) = default;
};

struct Joined {
    QString nick;
    QDateTime ts;

    friend bool operator==(const Joined &, const Joined &) = default;
};

struct Left {
    QString nick;
    LeaveReason reason = LeaveReason::Disconnected;
    QDateTime ts;
    // Extension: the text a client gave in its `bye`, if any.
    QString message;

    friend bool operator==(const Left &, const Left &) = default;
};

struct Renamed {
    QString from;
    QString to;
    QDateTime ts;

    friend bool operator==(const Renamed &, const Renamed &) = default;
};

struct Users {
    QStringList users;

    friend bool operator==(const Users &, const Users &) = default;
};

struct Pong {
    QJsonValue id = QJsonValue(QJsonValue::Undefined);

    friend bool operator==(const Pong &, const Pong &) = default;
};

struct Error {
    ErrorCode code = ErrorCode::BadFrame;
    QString message;
    QString ref;

    friend bool operator==(const Error &, const Error &) = default;
};

struct ServerBye {
    QString reason;

    friend bool operator==(const ServerBye &, const ServerBye &) = default;
};

using ServerFrame = std::variant<Welcome, ChatMessage, WhisperMessage, Joined, Left, Renamed, Users, Pong,
                                 Error, ServerBye>;

// The wire name of a frame's `type` field.
QString typeName(const ClientFrame &frame);
QString typeName(const ServerFrame &frame);

} // namespace Protocol
