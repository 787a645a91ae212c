// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QList>
#include <QString>

#include <memory>
#include <variant>

struct ServerConfig;

// Where the room keeps accepted messages: it hands out their ids, serves the
// recent history for `welcome` and the messages a client missed (`hello`
// `since`). Whispers never enter it.
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
    // A stored message (with its id), or why it could not be stored.
    using Appended = std::variant<Protocol::ChatMessage, QString>;
    // An open log, or why it could not be opened.
    using Opened = std::variant<std::unique_ptr<MessageLog>, QString>;

    virtual ~MessageLog() = default;

    // Stores `message` under nextId() (its own `id` is ignored). On failure
    // the id is not handed out again: ids may have gaps, never repeats.
    virtual Appended append(const Protocol::ChatMessage &message) = 0;
    // Messages with an id greater than `id`, at most `limit` (the newest ones).
    virtual Page after(qint64 id, int limit) const = 0;
    // The newest `count` messages, oldest first.
    virtual QList<Protocol::ChatMessage> last(int count) const = 0;
    // The id the next append will get; it keeps increasing across restarts
    // when the log persists.
    virtual qint64 nextId() const = 0;

    // The log chat-server's configuration asks for: Redis with --redis,
    // SQLite with --store, otherwise memory.
    static Opened open(const ServerConfig &config);

    MessageLog(const MessageLog &) = delete;
    MessageLog &operator=(const MessageLog &) = delete;

protected:
    MessageLog() = default;
};
