// SPDX-License-Identifier: MIT
#pragma once

#include "backoff.h"
#include "redisaddress.h"
#include "redisconnection.h"
#include "replyarena.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <utility>

class QSocketNotifier;
struct RedisReply;
struct redisReply;

// One entry of a Redis Stream: its id ("12-0") and its fields.
struct StreamEntry {
    QByteArray id;
    // In the stream's order. A flat list, not a map: an entry has five
    // fields, and every entry every instance reads was a map's node
    // allocations and a QByteArray per lookup (issue #16).
    QList<std::pair<QByteArray, QByteArray>> fields;

    // The field's value, empty when absent; the last, should a name repeat
    // (as the map this was before kept it).
    QByteArray value(QByteArrayView name) const
    {
        const auto found =
            std::find_if(fields.crbegin(), fields.crend(), [name](const auto &field) { return field.first == name; });
        return found == fields.crend() ? QByteArray() : found->second;
    }
};

// Follows one Redis Stream from an id on, in the thread's event loop: it
// keeps one `XREAD BLOCK` outstanding on its own RedisConnection and a
// QSocketNotifier tells it when the answer is there, so nothing waits and no
// thread is added. hiredis' own Qt adapter (hiredis/adapters/qt.h) is not
// used: docs/architecture.md says why.
//
// When the connection fails it reconnects with backoff and goes on from the
// last id it delivered: nothing twice, nothing skipped (as long as Redis
// still has the entries).
class StreamReader final : public QObject
{
    Q_OBJECT

public:
    StreamReader(RedisAddress address, QByteArray streamKey, QObject *parent = nullptr);
    ~StreamReader() override;

    // Reads the entries after `lastId` ("0-0" for all), then follows the stream.
    void start(const QByteArray &lastId);
    // Drops the XREAD in flight and follows again after `lastId`: after a
    // rollback the entries it waits for may never come (new ones can get
    // ids below the last it read).
    void restartFrom(const QByteArray &lastId);
    QByteArray lastId() const { return m_lastId; }
    // One entry of an XRANGE or XREAD reply: [id, [field, value, ...]].
    static StreamEntry entryOf(const RedisReply &item);
    bool isConnected() const { return m_redis.context() != nullptr; }

signals:
    // In stream order; the next batch follows only after this one's slots ran.
    void entriesRead(const QList<StreamEntry> &entries);
    void connectionChanged(bool connected);

private:
    void connectToRedis();
    void requestMore();
    void readAvailable();
    // The entries of an XREAD reply, read straight from hiredis' reply.
    QList<StreamEntry> entriesOf(const redisReply &reply);
    StreamEntry entryOf(const redisReply &item);
    void drop(const QString &why);
    void closeConnection();
    // Why the connection failed, as hiredis says (while it still has it).
    QString lostConnection() const;

    // Where this connection's replies are built (this reader reads them
    // all). Before m_redis: hiredis may still free a reply into it when the
    // connection goes.
    ReplyArena m_arena;
    RedisConnection m_redis;
    QByteArray m_streamKey;
    QByteArray m_lastId = "0-0";
    QSocketNotifier *m_notifier = nullptr;
    // Redis answers an empty XREAD BLOCK after kBlockMsecs; no answer well
    // after that means a dead connection (a Redis host that vanished).
    QTimer m_watchdog;
    QTimer m_reconnect;
    Backoff m_backoff;
    // The previous entry's field names and values, in order: the names,
    // the kind, the instance and the connection mostly repeat, and an entry
    // shares those instead of allocating its own copies (issue #16).
    QList<QByteArray> m_previousFields;
};
