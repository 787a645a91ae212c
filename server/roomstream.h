// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"
#include "redisreply.h"
#include "streamreader.h"
#include "wire.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// How the cluster's room is laid out in Redis (docs/architecture.md, "Cluster: several
// servers through Redis"): the key names, and how an event becomes a stream entry and
// back. Everything that happens in #lobby and on the server as a whole is
// one entry of one stream, everything of another room one entry of that
// room's stream: messages with ids "N-0" (N from the one sequence key, so
// message ids are plain integers, unique and increasing in each stream),
// everything else "N-k" after the message it follows.
namespace RoomStream {

inline constexpr char kDefaultPrefix[] = "qtchat:room:";
// Entries kept: far more than any welcome or resume reads (kMaxResumeMessages).
inline constexpr int kMaxLength = 100000;

struct Keys {
    QByteArray prefix = kDefaultPrefix;

    QByteArray sequence() const { return prefix + "seq"; }
    // Made with the sequence; a new one after a rollback (SequenceGuard).
    QByteArray epoch() const { return prefix + "epoch"; }
    QByteArray stream() const { return prefix + "stream"; }
    QByteArray claims() const { return prefix + "claims"; } // nick key -> instance
    QByteArray roster() const { return prefix + "roster"; } // nick key -> nick
    QByteArray ops() const { return prefix + "ops"; }       // nick keys
    QByteArray slow() const { return prefix + "slow"; }     // seconds
    QByteArray mutes() const { return prefix + "mutes"; }   // nick key -> until, ms since the epoch
    QByteArray away() const { return prefix + "away"; }     // nick key -> away message
    QByteArray resume() const { return prefix + "resume"; } // nick key -> SHA-256 of its resume token
    QByteArray instances() const { return prefix + "instances"; }
    QByteArray usersOf(const QByteArray &instance) const { return prefix + "users:" + instance; }
    QByteArray beats() const { return prefix + "beats"; } // instance -> heartbeat counter
    // Rooms besides #lobby (docs/architecture.md, "Rooms in the cluster").
    QByteArray lobbyRecord() const { return prefix + "lobby:record"; } // name, topic, by, ts
    QByteArray roomIndex() const { return prefix + "rooms"; }          // room key -> members counted
    // "<room key>\n<nick key>" for each room membership of the instance's users.
    QByteArray membershipsOf(const QByteArray &instance) const { return prefix + "memberships:" + instance; }
    // One room's keys share the hash tag {<room key>}: one slot of a Redis Cluster.
    QByteArray inRoom(const QString &room, const char *what) const
    {
        return prefix + '{' + room.toUtf8() + "}:" + what;
    }
    QByteArray roomStream(const QString &room) const { return inRoom(room, "stream"); }
    QByteArray roomMembers(const QString &room) const { return inRoom(room, "members"); } // nick key -> nick
    QByteArray roomWhere(const QString &room) const { return inRoom(room, "where"); }     // nick key -> instance
    QByteArray roomRecord(const QString &room) const { return inRoom(room, "record"); }   // name, topic, by, ts
    // A posted message's cid (docs/protocol.md, "Posting again safely"), by
    // author: "<id> <ts>", expiring. In the room's slot, beside its stream.
    QByteArray cid(const QString &room, const QString &nickKey, const QString &cid) const
    {
        const QByteArray where = room.isEmpty() ? QByteArray(prefix + "cid:") : inRoom(room, "cid:");
        return where + nickKey.toUtf8() + '\n' + cid.toUtf8();
    }
};

enum class Kind {
    Message, // a ChatMessage, stored without its id (the entry id is the id)
    Event,   // joined, left, renamed, opped, muted, unmuted, slow: for everyone
    Whisper, // for `target` and the sender only
    Kick,    // a ServerBye for `target`'s instance to act on
};

struct Entry {
    QByteArray streamId;
    Kind kind = Kind::Event;
    Protocol::ServerFrame frame;
    QByteArray instance;               // where it came from
    Wire::ConnectionId connection = 0; // which connection there (joined, whisper)
    QString target;                    // nick key (whisper, kick)
    // A message's JSON line as it goes to clients, when the stored frame
    // gives it without encoding again (MessageLine::withId); else empty.
    QByteArray json;
};

QByteArray kindName(Kind kind);
// The stream fields after the id: k, f, i, c, t.
QList<QByteArray> fields(Kind kind, const Protocol::ServerFrame &frame, const QByteArray &instance = {},
                         Wire::ConnectionId connection = 0, const QString &target = {});
// The entry, or why it cannot be read (logged by the caller, then skipped).
std::variant<Entry, QString> decode(const StreamEntry &entry);
// The messages among XRANGE/XREAD items ([id, [field, value, ...]]),
// oldest first; other entries are skipped, unreadable ones logged.
QList<Protocol::ChatMessage> messagesOf(const QList<RedisReply> &items);
// A frame as the protocol's JSON, without the LF (the `f` field).
QByteArray frameJson(const Protocol::ServerFrame &frame);
// The message id of a message entry's stream id ("12-0" is 12).
std::optional<qint64> messageId(const QByteArray &streamId);

} // namespace RoomStream
