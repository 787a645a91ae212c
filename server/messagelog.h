// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <variant>

struct ServerConfig;

// Where the server keeps accepted messages: it hands out their ids, serves
// each room's recent history for `welcome` and `room`, and the messages a
// client missed (`since`). Whispers never enter it. Ids are one sequence for
// all rooms (unique across the server, increasing within each room); each
// room's messages are read apart, by the room's key (Validation::roomKey).
// It also keeps each room's name as created and its topic, as long as the
// room's history (ROOMS.md: an emptied room keeps both).
//
// Synchronous on purpose: the room is the single ordering point and assigns
// ids in its thread, so an append that returns has its id and is stored.
// docs/architecture.md says how an implementation whose append is a network
// round trip (Redis, issue #8) fits.
class MessageLog
{
public:
    // Messages after an id, oldest first. When more were stored after that id
    // than the bound allows, the newest ones are kept (they join up with what
    // comes live) and `truncated` says older ones were left out.
    struct Page {
        QList<Protocol::ChatMessage> messages;
        bool truncated = false;
    };
    // A message its author had posted before under the same cid
    // (docs/protocol.md, "Posting again safely"): as it was stored then.
    struct Repeated {
        Protocol::ChatMessage message;
    };
    // A stored message (with its id), or why it could not be stored, or the
    // message stored before under the same cid (RedisMessageLog only).
    using Appended = std::variant<Protocol::ChatMessage, QString, Repeated>;
    // A message to append with its author's cid ('' for none, or a log that
    // does not keep them).
    struct Post {
        Protocol::ChatMessage message;
        QString cid = {};
    };
    // How long a cid is remembered: longer than the project's clients retry
    // (Outbox, about 30 s).
    static constexpr int kCidSeconds = 120;
    // An open log, or why it could not be opened.
    using Opened = std::variant<std::unique_ptr<MessageLog>, QString>;
    // A room's name as created and its topic.
    struct RoomRecord {
        QString name;
        QString topic;
        QString topicBy;
        QDateTime topicTs;

        friend bool operator==(const RoomRecord &, const RoomRecord &) = default;
    };

    virtual ~MessageLog() = default;

    // Stores `message` in its room (`room`; empty is #lobby) under nextId()
    // (its own `id` is ignored). On failure the id is not handed out again:
    // ids may have gaps, never repeats.
    virtual Appended append(const Protocol::ChatMessage &message) = 0;
    // Each message as append() stores it, in order, one result each. By
    // default one append after the other, cids ignored; a log whose append is
    // a network round trip sends them together and keeps the cids
    // (RedisMessageLog).
    virtual QList<Appended> appendAll(const QList<Post> &posts);
    using AppendedDone = std::function<void(const QList<Appended> &)>;
    // appendAll() without waiting: true when sent, and `done` is called with
    // what appendAll() would have returned, later (from the event loop or
    // finishAppends()), never inside this call. False by default, and when
    // this log cannot for these posts: nothing was stored, use appendAll().
    virtual bool startAppendAll(const QList<Post> &posts, const AppendedDone &done)
    {
        Q_UNUSED(posts)
        Q_UNUSED(done)
        return false;
    }
    // Waits for what startAppendAll() sent and calls its `done` first.
    virtual void finishAppends() {}
    // The room's messages with an id greater than `id`, at most `limit` (the newest ones).
    virtual Page after(const QString &roomKey, qint64 id, int limit) const = 0;
    // The room's newest `count` messages, oldest first.
    virtual QList<Protocol::ChatMessage> last(const QString &roomKey, int count) const = 0;
    // The room's name and topic as last saved, if the log knows the room.
    virtual std::optional<RoomRecord> room(const QString &roomKey) const = 0;
    // Keeps `record` for the room; empty, or why it could not.
    virtual QString saveRoom(const QString &roomKey, const RoomRecord &record) = 0;
    // The server no longer keeps this emptied room (its bound on rooms in
    // memory): a log in memory drops its history and record, a store keeps them.
    virtual void forget(const QString &roomKey) { Q_UNUSED(roomKey) }
    // The id the next append will get; it keeps increasing across restarts
    // when the log persists.
    virtual qint64 nextId() const = 0;
    // A log that takes ids from a sequence several servers share refuses
    // appends once that sequence's epoch is no longer `epoch` (Redis was
    // rolled back; docs/architecture.md "Rollback detection"); the others
    // have no epoch.
    virtual void expectEpoch(const QByteArray &epoch) { Q_UNUSED(epoch) }

    // The log chat-server's configuration asks for: Redis with --redis,
    // SQLite with --store, otherwise memory.
    static Opened open(const ServerConfig &config);

    MessageLog(const MessageLog &) = delete;
    MessageLog &operator=(const MessageLog &) = delete;

protected:
    MessageLog() = default;
};
