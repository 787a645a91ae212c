// SPDX-License-Identifier: MIT
#include "sqlitemessagelog.h"

#include "validation.h"

#include <QLoggingCategory>
#include <QSqlError>

using namespace Qt::StringLiterals;
using Protocol::ChatMessage;

Q_LOGGING_CATEGORY(lcStore, "qtchat.server.store")

namespace {

const QString kDriver = u"QSQLITE"_s;

QString describe(const QSqlError &error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return text.isEmpty() ? u"unknown SQLite error"_s : text;
}

// Run at every start; each must succeed for the store to be usable.
constexpr const char16_t *kSchema[] = {
    u"PRAGMA journal_mode=WAL",
    // NORMAL: the WAL is written at every commit and synced at checkpoints.
    // A process crash loses nothing committed; a power loss may lose the last
    // commits (FULL would sync at every commit; see docs/architecture.md).
    u"PRAGMA synchronous=NORMAL",
    // AUTOINCREMENT: SQLite remembers the highest id ever stored (sqlite_sequence),
    // so ids are not handed out again even if the newest rows are deleted by hand.
    // `room` as created, `room_key` (Validation::roomKey) to read one room.
    u"CREATE TABLE IF NOT EXISTS messages ("
    u" id INTEGER PRIMARY KEY AUTOINCREMENT,"
    u" sender TEXT NOT NULL,"
    u" text TEXT NOT NULL,"
    u" ts_ms INTEGER NOT NULL,"
    u" action INTEGER NOT NULL DEFAULT 0,"
    u" room TEXT NOT NULL DEFAULT '#lobby',"
    u" room_key TEXT NOT NULL DEFAULT '#lobby')",
};

// Run after the migration, when `messages` has its room columns.
constexpr const char16_t *kRoomSchema[] = {
    u"CREATE INDEX IF NOT EXISTS messages_by_room ON messages (room_key, id)",
    u"CREATE TABLE IF NOT EXISTS rooms ("
    u" room_key TEXT PRIMARY KEY,"
    u" name TEXT NOT NULL,"
    u" topic TEXT NOT NULL DEFAULT '',"
    u" topic_by TEXT NOT NULL DEFAULT '',"
    u" topic_ts_ms INTEGER NOT NULL DEFAULT 0)",
};

const QString kColumns = u"id, sender, text, ts_ms, action, room"_s;

ChatMessage readMessage(const QSqlQuery &query)
{
    return ChatMessage{
        query.value(0).toLongLong(), query.value(1).toString(),
        query.value(2).toString(),   QDateTime::fromMSecsSinceEpoch(query.value(3).toLongLong(), Qt::UTC),
        query.value(4).toBool(),     query.value(5).toString()};
}

} // namespace

SqliteMessageLog::SqliteMessageLog(const QString &connectionName) : m_connectionName(connectionName)
{}

SqliteMessageLog::~SqliteMessageLog()
{
    m_insert.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

MessageLog::Opened SqliteMessageLog::open(const QString &path)
{
    if (!QSqlDatabase::isDriverAvailable(kDriver))
        return u"the Qt SQLite driver (QSQLITE) is not installed (Debian: libqt6sql6-sqlite)"_s;
    // Qt SQL connections are named per process: one per file, so that tests
    // can open several stores at once and one file is never opened twice.
    const QString connectionName = u"qtchat-store-%1"_s.arg(path);
    if (QSqlDatabase::contains(connectionName))
        return u"%1 is already open in this process"_s.arg(path);
    std::unique_ptr<SqliteMessageLog> log(new SqliteMessageLog(connectionName));
    log->m_path = path;
    log->m_db = QSqlDatabase::addDatabase(kDriver, connectionName);
    log->m_db.setDatabaseName(path);
    log->m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(kBusyTimeoutMsecs));
    if (!log->m_db.open())
        return u"cannot open %1: %2"_s.arg(path, describe(log->m_db.lastError()));
    if (const QString error = log->prepareSchema(); !error.isEmpty())
        return u"cannot use %1: %2"_s.arg(path, error);
    qCInfo(lcStore).noquote() << "store" << path << "opened; next message id" << log->m_nextId;
    return std::unique_ptr<MessageLog>(std::move(log));
}

QString SqliteMessageLog::prepareSchema()
{
    QSqlQuery query(m_db);
    // Also the first read of the file: a file that is not a database fails here.
    if (!query.exec(u"PRAGMA user_version"_s) || !query.next())
        return describe(query.lastError());
    const int version = query.value(0).toInt();
    if (version > kSchemaVersion)
        return u"it was written by a newer chat-server (schema %1; this one knows %2)"_s.arg(version).arg(
            kSchemaVersion);
    for (const char16_t *sql : kSchema) {
        if (!query.exec(QString::fromUtf16(sql)))
            return describe(query.lastError());
    }
    if (QString error = migrateToRooms(query); !error.isEmpty())
        return error;
    for (const char16_t *sql : kRoomSchema) {
        if (!query.exec(QString::fromUtf16(sql)))
            return describe(query.lastError());
    }
    if (!query.exec(u"PRAGMA journal_mode"_s) || !query.next() ||
        query.value(0).toString().compare(u"wal"_s, Qt::CaseInsensitive) != 0)
        return u"cannot switch it to WAL mode (is it on a network file system?)"_s;
    if (!query.exec(u"PRAGMA user_version=%1"_s.arg(kSchemaVersion)))
        return describe(query.lastError());

    if (!query.exec(u"SELECT max(coalesce((SELECT max(id) FROM messages), 0),"
                    u" coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0))"_s) ||
        !query.next())
        return describe(query.lastError());
    m_nextId = query.value(0).toLongLong() + 1;

    m_insert = std::make_unique<QSqlQuery>(m_db);
    if (!m_insert->prepare(
            u"INSERT INTO messages (id, sender, text, ts_ms, action, room, room_key) VALUES (?, ?, ?, ?, ?, ?, ?)"_s))
        return describe(m_insert->lastError());
    return {};
}

QString SqliteMessageLog::migrateToRooms(QSqlQuery &query)
{
    // A table made by schema 1 has no room columns; one made now has them.
    if (!query.exec(u"SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'room_key'"_s) || !query.next())
        return describe(query.lastError());
    if (query.value(0).toInt() > 0)
        return {};
    qCInfo(lcStore).noquote() << "store" << m_path << "is of schema 1: its messages move to #lobby (schema 2)";
    if (!m_db.transaction())
        return describe(m_db.lastError());
    // The defaults put every message already stored in #lobby.
    if (!query.exec(u"ALTER TABLE messages ADD COLUMN room TEXT NOT NULL DEFAULT '#lobby'"_s) ||
        !query.exec(u"ALTER TABLE messages ADD COLUMN room_key TEXT NOT NULL DEFAULT '#lobby'"_s)) {
        QString error = describe(query.lastError());
        m_db.rollback();
        return error;
    }
    if (!m_db.commit())
        return describe(m_db.lastError());
    return {};
}

MessageLog::Appended SqliteMessageLog::append(const ChatMessage &message)
{
    ChatMessage stored = message;
    // Not handed out again in this run even if storing fails: a row may exist
    // even when a commit reports failure. Such an id was never shown to anyone.
    stored.id = m_nextId++;
    const auto fail = [this, &stored](const QString &what, const QSqlError &error) -> Appended {
        const QString text = u"%1 message %2 in %3: %4"_s.arg(what).arg(stored.id).arg(m_path, describe(error));
        qCCritical(lcStore).noquote() << text;
        m_db.rollback();
        return text;
    };

    if (!m_db.transaction())
        return fail(u"cannot start storing"_s, m_db.lastError());
    m_insert->bindValue(0, stored.id);
    m_insert->bindValue(1, stored.from);
    m_insert->bindValue(2, stored.text);
    m_insert->bindValue(3, stored.ts.toMSecsSinceEpoch());
    m_insert->bindValue(4, stored.action ? 1 : 0);
    const QString room = Protocol::roomOrLobby(stored.room);
    m_insert->bindValue(5, room);
    m_insert->bindValue(6, Validation::roomKey(room));
    if (!m_insert->exec())
        return fail(u"cannot store"_s, m_insert->lastError());
    m_insert->finish();
    if (!m_db.commit())
        return fail(u"cannot commit"_s, m_db.lastError());
    return stored;
}

MessageLog::Page SqliteMessageLog::after(const QString &roomKey, qint64 id, int limit) const
{
    Page page;
    if (limit <= 0) {
        page.truncated =
            !select(u"SELECT %1 FROM messages WHERE room_key = ? AND id > ? LIMIT 1"_s.arg(kColumns), {roomKey, id})
                 .isEmpty();
        return page;
    }
    // One row more than asked tells whether some were left out.
    QList<ChatMessage> newest =
        select(u"SELECT %1 FROM messages WHERE room_key = ? AND id > ? ORDER BY id DESC LIMIT ?"_s.arg(kColumns),
               {roomKey, id, limit + 1});
    page.truncated = newest.size() > limit;
    if (page.truncated)
        newest.removeLast();
    std::reverse(newest.begin(), newest.end());
    page.messages = std::move(newest);
    return page;
}

QList<ChatMessage> SqliteMessageLog::last(const QString &roomKey, int count) const
{
    if (count <= 0)
        return {};
    QList<ChatMessage> newest = select(
        u"SELECT %1 FROM messages WHERE room_key = ? ORDER BY id DESC LIMIT ?"_s.arg(kColumns), {roomKey, count});
    std::reverse(newest.begin(), newest.end());
    return newest;
}

std::optional<MessageLog::RoomRecord> SqliteMessageLog::room(const QString &roomKey) const
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(u"SELECT name, topic, topic_by, topic_ts_ms FROM rooms WHERE room_key = ?"_s)) {
        qCCritical(lcStore).noquote() << "cannot read" << m_path << ":" << describe(query.lastError());
        return std::nullopt;
    }
    query.bindValue(0, roomKey);
    if (!query.exec() || !query.next())
        return std::nullopt;
    const qint64 topicMsecs = query.value(3).toLongLong();
    return RoomRecord{query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
                      topicMsecs > 0 ? QDateTime::fromMSecsSinceEpoch(topicMsecs, Qt::UTC) : QDateTime()};
}

QString SqliteMessageLog::saveRoom(const QString &roomKey, const RoomRecord &record)
{
    QSqlQuery query(m_db);
    if (!query.prepare(
            u"INSERT INTO rooms (room_key, name, topic, topic_by, topic_ts_ms) VALUES (?, ?, ?, ?, ?)"
            u" ON CONFLICT (room_key) DO UPDATE SET"
            u" topic = excluded.topic, topic_by = excluded.topic_by, topic_ts_ms = excluded.topic_ts_ms"_s)) {
        return describe(query.lastError());
    }
    // A null QString binds as SQL NULL, which the NOT NULL columns refuse:
    // no topic is stored as the empty text.
    const auto text = [](const QString &value) { return value.isNull() ? QString(u""_s) : value; };
    query.bindValue(0, roomKey);
    query.bindValue(1, record.name);
    query.bindValue(2, text(record.topic));
    query.bindValue(3, text(record.topicBy));
    query.bindValue(4, record.topicTs.isValid() ? record.topicTs.toMSecsSinceEpoch() : 0);
    if (!query.exec()) {
        QString error = u"cannot store room %1 in %2: %3"_s.arg(record.name, m_path, describe(query.lastError()));
        qCCritical(lcStore).noquote() << error;
        return error;
    }
    return {};
}

QList<ChatMessage> SqliteMessageLog::select(const QString &sql, const QVariantList &values) const
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    QList<ChatMessage> result;
    if (!query.prepare(sql)) {
        qCCritical(lcStore).noquote() << "cannot read" << m_path << ":" << describe(query.lastError());
        return result;
    }
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    if (!query.exec()) {
        qCCritical(lcStore).noquote() << "cannot read" << m_path << ":" << describe(query.lastError());
        return result;
    }
    while (query.next())
        result.append(readMessage(query));
    return result;
}
