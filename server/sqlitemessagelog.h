// SPDX-License-Identifier: MIT
#pragma once

#include "messagelog.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <memory>

// The log in an SQLite file (--store FILE), through Qt SQL. WAL journal with
// synchronous=NORMAL: every append is one committed transaction, written to
// the WAL before append() returns, so a message the server has echoed
// survives a crash or kill -9 of the server (not a power loss; see
// docs/architecture.md). Every message is kept: there is no pruning.
class SqliteMessageLog final : public MessageLog
{
public:
    // How long a statement waits for a lock another process holds (a backup,
    // an sqlite3 shell) before it fails; the room waits with it.
    static constexpr int kBusyTimeoutMsecs = 1000;
    // The schema this build writes (PRAGMA user_version). Version 2 added
    // rooms: a store of version 1 is migrated, its messages in #lobby.
    static constexpr int kSchemaVersion = 2;

    ~SqliteMessageLog() override;

    // Opens or creates the store at `path`.
    static Opened open(const QString &path);

    Appended append(const Protocol::ChatMessage &message) override;
    Page after(const QString &roomKey, qint64 id, int limit) const override;
    QList<Protocol::ChatMessage> last(const QString &roomKey, int count) const override;
    qint64 nextId() const override { return m_nextId; }
    std::optional<RoomRecord> room(const QString &roomKey) const override;
    QString saveRoom(const QString &roomKey, const RoomRecord &record) override;

private:
    explicit SqliteMessageLog(const QString &connectionName);

    QString prepareSchema();
    // From schema 1 (no rooms) to 2, in one transaction.
    QString migrateToRooms(QSqlQuery &query);
    QList<Protocol::ChatMessage> select(const QString &sql, const QVariantList &values) const;

    QString m_connectionName;
    QString m_path;
    QSqlDatabase m_db;
    std::unique_ptr<QSqlQuery> m_insert;
    qint64 m_nextId = 1;
};
