// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

// Plain structs for every frame of ../shared/PROTOCOL.md and of the rooms
// of ../shared/ROOMS.md (protocol version 2).
// They carry no behaviour: FrameCodec turns them into bytes and back.
namespace Protocol {

constexpr int kVersion = 2;
constexpr quint16 kDefaultPort = 55555;
constexpr qsizetype kDefaultMaxFrameBytes = 65536;
constexpr int kMaxNickLength = 24;
constexpr int kMaxTextLength = 4000;
constexpr int kDefaultHistory = 100;
// Extension (docs/protocol.md): the most messages a `welcome` carries for a
// `hello` with `since`.
constexpr int kMaxResumeMessages = 1000;

// Rooms (../shared/ROOMS.md, protocol version 2).
constexpr int kMaxRoomNameLength = 32; // code points after the "#"
constexpr int kMaxTopicLength = 300;
constexpr int kDefaultMaxRoomsPerUser = 32; // besides #lobby
constexpr int kDefaultMaxRooms = 1000;      // rooms with members, besides #lobby
inline constexpr char16_t kLobby[] = u"#lobby";

// Moderation extension (docs/protocol.md).
constexpr int kDefaultMuteMinutes = 10;
constexpr int kMaxMuteMinutes = 7 * 24 * 60;
constexpr int kMaxSlowSeconds = 3600;

// Presence extension (docs/protocol.md, "Presence"): an away message
// follows the topic's rules, so it is at most this long.
constexpr int kMaxAwayLength = kMaxTopicLength;
// The away users among a user list: nick (as its owner spells it) -> away
// message ("" when none).
using AwayMessages = QMap<QString, QString>;

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
    Timeout,     // extension (docs/protocol.md): a deadline passed, then closed
    // Moderation extension (docs/protocol.md).
    OpDisabled,
    WrongPassword,
    NotOperator,
    Muted,
    SlowMode,
    // Cluster extension (docs/protocol.md): the room shared through Redis
    // cannot be reached now; the request was not carried out.
    ClusterUnavailable,
    // Extension (docs/protocol.md): too many requests wait for this server's
    // room; a `say` or `whisper` is refused at once instead of queued.
    ServerBusy,
    // Rooms (ROOMS.md, protocol version 2).
    RoomInvalid,
    NotInRoom,
    CannotPart,
    TooManyRooms,
    TopicInvalid,
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
    Kicked, // moderation extension
    Part,   // rooms: left one room with `part` (the `left` frame then names the room)
};

QString leaveReasonName(LeaveReason reason);
std::optional<LeaveReason> leaveReasonFromName(const QString &name);

// ---- client to server ----

// A room of `hello.rooms`: its name, and the last message id of it the
// client saw (a reconnect resumes each room after its own).
struct RoomRequest {
    QString room;
    std::optional<qint64> since = {};

    friend bool operator==(const RoomRequest &, const RoomRequest &) = default;
};

struct Hello {
    QString nick;
    QString client;
    // Extension: the last message id the client saw; `welcome` then carries
    // the messages after it instead of the recent history.
    std::optional<qint64> since;
    // Rooms (version 2): rooms to join at registration, in this order.
    QList<RoomRequest> rooms = {};
    // Extension: the token of an earlier `welcome`; with it the nickname is
    // taken back even while an old connection still holds it. Empty: none.
    QString resume = {};

    friend bool operator==(const Hello &, const Hello &) = default;
};

struct Say {
    QString text;
    bool action = false;
    QString room = {}; // empty: #lobby
    // The client's own id for this message (extension, issue #16): a retry
    // with the same one is not posted twice (docs/protocol.md, "Posting
    // again safely"). Empty: none.
    QString cid = {};

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
    QString room = {}; // empty: #lobby

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

// ---- moderation extension, client to server ----

struct Op {
    QString password;

    friend bool operator==(const Op &, const Op &) = default;
};

struct Kick {
    QString nick;
    QString reason;

    friend bool operator==(const Kick &, const Kick &) = default;
};

struct Mute {
    QString nick;
    // Absent means kDefaultMuteMinutes; 0 lifts the mute.
    std::optional<qint64> minutes;

    friend bool operator==(const Mute &, const Mute &) = default;
};

struct Unmute {
    QString nick;

    friend bool operator==(const Unmute &, const Unmute &) = default;
};

struct Slow {
    qint64 seconds = 0; // 0 turns slow mode off

    friend bool operator==(const Slow &, const Slow &) = default;
};

// ---- rooms (version 2), client to server ----

struct Join {
    QString room;

    friend bool operator==(const Join &, const Join &) = default;
};

struct Part {
    QString room;
    QString message = {};

    friend bool operator==(const Part &, const Part &) = default;
};

// `topic` from a client: set a room's topic (empty clears it).
struct SetTopic {
    QString room;
    QString topic;

    friend bool operator==(const SetTopic &, const SetTopic &) = default;
};

// `rooms` from a client: ask for the list of rooms.
struct ListRooms {
    friend bool operator==(const ListRooms &, const ListRooms &) = default;
};

// ---- presence extension, client to server ----

// `away` from a client: mark oneself away (an empty message: no message).
struct SetAway {
    QString message = {};

    friend bool operator==(const SetAway &, const SetAway &) = default;
};

// `back` from a client: no longer away.
struct SetBack {
    friend bool operator==(const SetBack &, const SetBack &) = default;
};

using ClientFrame = std::variant<Hello, Say, Whisper, Nick, Who, Ping, Bye, Op, Kick, Mute, Unmute, Slow, Join, Part,
                                 SetTopic, ListRooms, SetAway, SetBack>;

// ---- server to client ----

struct ChatMessage {
    qint64 id = 0;
    QString from;
    QString text;
    QDateTime ts;
    bool action = false;
    // Rooms (version 2): the room's name as created; the server always sends
    // it ("#lobby" for the lobby), an empty one is not written.
    QString room = {};

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
    // Moderation extension: operators among `users`, and slow mode (0: off).
    QStringList ops = {};
    int slow = 0;
    // Presence extension: the away users among `users`.
    AwayMessages away = {};
    // Extension: the token a later `hello.resume` takes the nickname back
    // with (JSON mode only; empty: none).
    QString resume = {};

    friend bool operator==(const Welcome &, const Welcome &) = default;
};

struct WhisperMessage {
    QString from;
    QString to;
    QString text;
    QDateTime ts;
    // Presence extension, on the sender's copy only: the recipient is away,
    // with this message ("" when none).
    std::optional<QString> away = {};

    friend bool operator==(const WhisperMessage &, const WhisperMessage &) = default;
};

struct Joined {
    QString nick;
    QDateTime ts;
    // Rooms: empty when the user registered with the server, otherwise the
    // room they joined.
    QString room = {};

    friend bool operator==(const Joined &, const Joined &) = default;
};

struct Left {
    QString nick;
    LeaveReason reason = LeaveReason::Disconnected;
    QDateTime ts;
    // Extension: the text a client gave in its `bye`, if any, or the kick reason.
    QString message = {};
    // Moderation extension: the operator who kicked (reason Kicked).
    QString by = {};
    // Rooms: empty when the user left the server (and so every room),
    // otherwise the room they left with `part`.
    QString room = {};

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
    QStringList ops = {};   // moderation extension
    QString room = {};      // rooms: the room asked about (empty: not said)
    AwayMessages away = {}; // presence extension: the away users among `users`

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
    // Moderation extension: seconds until the request may succeed (0: not sent).
    qint64 wait = 0;

    friend bool operator==(const Error &, const Error &) = default;
};

// Extension: the `bye` reason of a connection whose nickname a `hello`
// with its resume token took over (docs/protocol.md).
inline constexpr QStringView kResumedByeReason = u"resumed";

struct ServerBye {
    QString reason;
    // Moderation extension, for reason "kicked": who, and why.
    QString by = {};
    QString message = {};

    friend bool operator==(const ServerBye &, const ServerBye &) = default;
};

// ---- moderation extension, server to client ----

struct Opped {
    QString nick;
    QDateTime ts;

    friend bool operator==(const Opped &, const Opped &) = default;
};

struct Muted {
    QString nick;
    QString by;
    qint64 minutes = 0;
    QDateTime until;
    QDateTime ts;

    friend bool operator==(const Muted &, const Muted &) = default;
};

struct Unmuted {
    QString nick;
    QString by;
    QDateTime ts;

    friend bool operator==(const Unmuted &, const Unmuted &) = default;
};

struct SlowMode {
    qint64 seconds = 0;
    QString by;
    QDateTime ts;

    friend bool operator==(const SlowMode &, const SlowMode &) = default;
};

// ---- rooms (version 2), server to client ----

// `room`: a room one is in now, with its topic, members and history.
struct RoomState {
    QString room;
    QString topic;
    QStringList users;
    QList<ChatMessage> history;
    // After a `since`: more were missed than `history` carries.
    bool truncated = false;
    // Presence extension: the away users among `users`.
    AwayMessages away = {};

    friend bool operator==(const RoomState &, const RoomState &) = default;
};

// `topic` from the server: a room's topic changed.
struct TopicChanged {
    QString room;
    QString topic;
    QString by;
    QDateTime ts;

    friend bool operator==(const TopicChanged &, const TopicChanged &) = default;
};

// One row of `rooms`.
struct RoomInfo {
    QString room;
    int users = 0;
    QString topic;

    friend bool operator==(const RoomInfo &, const RoomInfo &) = default;
};

// `rooms` from the server: the rooms with members, #lobby included.
struct RoomList {
    QList<RoomInfo> rooms;

    friend bool operator==(const RoomList &, const RoomList &) = default;
};

// ---- presence extension, server to client ----

// `away` from the server: a user is away, or changed their away message.
struct Away {
    QString nick;
    QString message; // "" when none
    QDateTime ts;

    friend bool operator==(const Away &, const Away &) = default;
};

// `back` from the server: a user is no longer away.
struct Back {
    QString nick;
    QDateTime ts;

    friend bool operator==(const Back &, const Back &) = default;
};

using ServerFrame =
    std::variant<Welcome, ChatMessage, WhisperMessage, Joined, Left, Renamed, Users, Pong, Error, ServerBye, Opped,
                 Muted, Unmuted, SlowMode, RoomState, TopicChanged, RoomList, Away, Back>;

// The lobby's name as a QString.
inline QString lobby()
{
    return QString::fromUtf16(kLobby);
}
// A frame's room, read the way ROOMS.md reads an absent one: #lobby.
inline QString roomOrLobby(const QString &room)
{
    return room.isEmpty() ? lobby() : room;
}

// The wire name of a frame's `type` field.
QString typeName(const ClientFrame &frame);
QString typeName(const ServerFrame &frame);

} // namespace Protocol
