// SPDX-License-Identifier: MIT
// The MessageLog contract, run against every implementation: each test
// function has one row per implementation it applies to (addBackendRows()).
// A new implementation is one more Backend.
#include "memorymessagelog.h"
#include "redismessagelog.h"
#include "redisprocess.h"
#include "reservedport.h"
#include "spec.h"
#include "sqlitemessagelog.h"
#include "testharness.h"
#include "validation.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>

using namespace Qt::StringLiterals;
using Protocol::ChatMessage;

namespace {
const QString kLobby = Protocol::lobby();

// Opens the implementation on `place` (a fresh directory per test); the same
// place again reopens the same log, for implementations that persist.
using Opener = std::function<MessageLog::Opened(const QString &place)>;

// Large enough that the memory log's capacity plays no part in the contract.
constexpr int kMemoryCapacity = 100000;

enum class Backend { Memory, Sqlite, Redis };
const QList<Backend> kAllBackends{Backend::Memory, Backend::Sqlite, Backend::Redis};
// The ones that keep their messages when reopened on the same place.
const QList<Backend> kPersistentBackends{Backend::Sqlite, Backend::Redis};

const char *backendName(Backend backend)
{
    switch (backend) {
    case Backend::Memory:
        return "memory";
    case Backend::Sqlite:
        return "sqlite";
    case Backend::Redis:
        return "redis";
    }
    return "";
}

ChatMessage message(int n)
{
    return ChatMessage{0, u"alice"_s, u"message %1"_s.arg(n),
                       QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + n, Qt::UTC), false};
}

QList<qint64> ids(const QList<ChatMessage> &messages)
{
    QList<qint64> result;
    for (const ChatMessage &m : messages)
        result.append(m.id);
    return result;
}

} // namespace

Q_DECLARE_METATYPE(Opener)
Q_DECLARE_METATYPE(Backend)

class TestMessageLog final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MessageLog> openLog()
    {
        QFETCH(Backend, backend);
        MessageLog::Opened opened = opener(backend)(m_dir->path());
        if (const auto *error = std::get_if<QString>(&opened)) {
            qWarning().noquote() << "cannot open the log:" << *error;
            return nullptr;
        }
        return std::move(std::get<std::unique_ptr<MessageLog>>(opened));
    }

    // A log holding messages 1..count.
    std::unique_ptr<MessageLog> logWith(int count)
    {
        auto log = openLog();
        for (int n = 1; log && n <= count; ++n) {
            if (!std::holds_alternative<ChatMessage>(log->append(message(n))))
                return nullptr;
        }
        return log;
    }

    static Opener opener(Backend backend)
    {
        switch (backend) {
        case Backend::Memory:
            return [](const QString &) -> MessageLog::Opened {
                return std::unique_ptr<MessageLog>(std::make_unique<MemoryMessageLog>(kMemoryCapacity));
            };
        case Backend::Sqlite:
            return [](const QString &place) { return SqliteMessageLog::open(place + u"/chat.db"_s); };
        case Backend::Redis:
            // The same place again is the same keys: a reopened log continues.
            return [](const QString &place) -> MessageLog::Opened {
                if (!s_redis)
                    return u"no redis-server"_s;
                return RedisMessageLog::open(s_redis->address(), "qtchat:test:" + place.toUtf8() + ':');
            };
        }
        return {};
    }

    // The `backend` column, first in every test's data. Only the backends a
    // test applies to get a row, so no row is skipped for being the wrong one.
    static void addBackendColumn() { QTest::addColumn<Backend>("backend"); }

    // A row for `backend`, tagged "backend" or "backend:tag"; the test's own columns follow.
    static QTestData &backendRow(Backend backend, const char *tag = nullptr)
    {
        if (!tag)
            return QTest::newRow(backendName(backend)) << backend;
        return QTest::addRow("%s:%s", backendName(backend), tag) << backend;
    }

    // The data of a test with no columns of its own.
    static void addBackendRows(const QList<Backend> &backends)
    {
        addBackendColumn();
        for (Backend backend : backends)
            backendRow(backend);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    // One redis-server for the whole run; each test has its own keys.
    static inline std::unique_ptr<RedisProcess> s_redis;

private slots:
    void initTestCase()
    {
        if (RedisProcess::program().isEmpty()) {
            qWarning("redis-server is not installed: the Redis rows are skipped (apt-get install redis-server)");
            return;
        }
        s_redis = std::make_unique<RedisProcess>();
        QVERIFY2(s_redis->start(), "cannot start redis-server");
    }

    void cleanupTestCase() { s_redis.reset(); }

    void init()
    {
        QFETCH(Backend, backend);
        QTCHAT_REQUIRE(backend != Backend::Redis || s_redis, "redis-server (Debian package redis-server)");
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void startsEmpty_data() { addBackendRows(kAllBackends); }

    void startsEmpty()
    {
        auto log = openLog();
        QVERIFY(log);
        QCOMPARE(log->nextId(), 1);
        QVERIFY(log->last(kLobby, 10).isEmpty());
        const MessageLog::Page page = log->after(kLobby, 0, 10);
        QVERIFY(page.messages.isEmpty());
        QVERIFY(!page.truncated);
    }

    void appendHandsOutIncreasingIds_data() { addBackendRows(kAllBackends); }

    void appendHandsOutIncreasingIds()
    {
        auto log = openLog();
        QVERIFY(log);
        ChatMessage first = message(1);
        first.id = 42; // ignored: the log decides
        const MessageLog::Appended a = log->append(first);
        QVERIFY(std::holds_alternative<ChatMessage>(a));
        QCOMPARE(std::get<ChatMessage>(a).id, 1);
        QCOMPARE(log->nextId(), 2);
        const MessageLog::Appended b = log->append(message(2));
        QCOMPARE(std::get<ChatMessage>(b).id, 2);
        QCOMPARE(log->nextId(), 3);
    }

    void appendAllKeepsTheOrder_data() { addBackendRows(kAllBackends); }

    // A room's message between #lobby's splits Redis's pipeline in two runs;
    // the ids follow the given order all the same.
    void appendAllKeepsTheOrder()
    {
        auto log = openLog();
        QVERIFY(log);
        ChatMessage inRoom = message(3);
        inRoom.room = u"#dev"_s;
        const QList<MessageLog::Appended> stored =
            log->appendAll({MessageLog::Post{message(1)}, MessageLog::Post{message(2)}, MessageLog::Post{inRoom},
                            MessageLog::Post{message(4)}});
        QCOMPARE(stored.size(), 4);
        QList<qint64> storedIds;
        for (const MessageLog::Appended &appended : stored)
            storedIds.append(std::get<ChatMessage>(appended).id);
        QCOMPARE(storedIds, (QList<qint64>{1, 2, 3, 4}));
        QCOMPARE(std::get<ChatMessage>(stored.at(2)).room, u"#dev"_s);
        QCOMPARE(ids(log->last(kLobby, 10)), (QList<qint64>{1, 2, 4}));
        QCOMPARE(log->nextId(), 5);
    }

    void repeatedCidIsNotStoredTwice_data() { addBackendRows({Backend::Redis}); }

    // Redis keeps each author's cids with the message (docs/protocol.md,
    // "Posting again safely"): the same cid again is answered with the
    // first post, and the stream has the message once; another author's
    // same cid, or no cid, is a new message. In #lobby and in a room.
    void repeatedCidIsNotStoredTwice()
    {
        auto log = openLog();
        QVERIFY(log);
        for (const QString &room : {QString(), u"#dev"_s}) {
            ChatMessage first = message(1);
            first.room = room;
            first.ts = QDateTime::fromMSecsSinceEpoch(1'764'000'000'123, Qt::UTC);
            const QList<MessageLog::Appended> stored = log->appendAll({MessageLog::Post{first, u"c-1"_s}});
            const qint64 firstId = std::get<ChatMessage>(stored.constFirst()).id;

            ChatMessage again = first;
            again.ts = first.ts.addSecs(2); // sent again later
            ChatMessage byBob = first;
            byBob.from = u"bob"_s;
            const QList<MessageLog::Appended> retried = log->appendAll(
                {MessageLog::Post{again, u"c-1"_s}, MessageLog::Post{byBob, u"c-1"_s}, MessageLog::Post{again}});
            QVERIFY(std::holds_alternative<MessageLog::Repeated>(retried.at(0)));
            const ChatMessage repeated = std::get<MessageLog::Repeated>(retried.at(0)).message;
            QCOMPARE(repeated.id, firstId);
            QCOMPARE(repeated.ts, first.ts); // as it was stored
            QCOMPARE(repeated.text, first.text);
            const qint64 bobsId = std::get<ChatMessage>(retried.at(1)).id;
            QVERIFY(bobsId > firstId);
            QVERIFY(std::get<ChatMessage>(retried.at(2)).id > bobsId);
            const QString roomKey = room.isEmpty() ? kLobby : Validation::roomKey(room);
            const QList<ChatMessage> kept = log->last(roomKey, 10);
            QCOMPARE(kept.size(), 3);
            QCOMPARE(kept.constFirst().id, firstId);
        }
    }

    void keepsMessagesIntact_data() { addBackendRows(kAllBackends); }

    void keepsMessagesIntact()
    {
        auto log = openLog();
        QVERIFY(log);
        const ChatMessage action{0,
                                 u"민수"_s,
                                 u"waves\nand\tsmiles 🙂 \"quoted\" \\ "_s,
                                 QDateTime::fromMSecsSinceEpoch(1'764'000'000'123, Qt::UTC),
                                 true,
                                 kLobby};
        const MessageLog::Appended appended = log->append(action);
        QVERIFY(std::holds_alternative<ChatMessage>(appended));
        ChatMessage expected = action;
        expected.id = 1;
        QCOMPARE(std::get<ChatMessage>(appended), expected);
        QCOMPARE(log->last(kLobby, 1), QList<ChatMessage>{expected});
        QCOMPARE(log->after(kLobby, 0, 1).messages, QList<ChatMessage>{expected});
    }

    void last_data()
    {
        addBackendColumn();
        QTest::addColumn<int>("count");
        QTest::addColumn<QList<qint64>>("expected");
        for (Backend b : kAllBackends) {
            backendRow(b, "zero") << 0 << QList<qint64>{};
            backendRow(b, "negative") << -1 << QList<qint64>{};
            backendRow(b, "one") << 1 << QList<qint64>{5};
            backendRow(b, "two") << 2 << Spec::idRange(4, 5);
            backendRow(b, "all") << 5 << Spec::idRange(1, 5);
            backendRow(b, "more than stored") << 50 << Spec::idRange(1, 5);
        }
    }

    void last()
    {
        QFETCH(int, count);
        QFETCH(QList<qint64>, expected);
        auto log = logWith(5);
        QVERIFY(log);
        QCOMPARE(ids(log->last(kLobby, count)), expected); // oldest first
    }

    void after_data()
    {
        addBackendColumn();
        QTest::addColumn<qint64>("id");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QList<qint64>>("expected");
        QTest::addColumn<bool>("truncated");
        for (Backend b : kAllBackends) {
            backendRow(b, "from the start") << qint64(0) << 100 << Spec::idRange(1, 10) << false;
            backendRow(b, "from the middle") << qint64(6) << 100 << Spec::idRange(7, 10) << false;
            backendRow(b, "exactly the limit") << qint64(6) << 4 << Spec::idRange(7, 10) << false;
            backendRow(b, "over the limit keeps the newest") << qint64(2) << 3 << Spec::idRange(8, 10) << true;
            backendRow(b, "from the start over the limit") << qint64(0) << 1 << QList<qint64>{10} << true;
            backendRow(b, "limit zero") << qint64(2) << 0 << QList<qint64>{} << true;
            backendRow(b, "the newest id") << qint64(10) << 100 << QList<qint64>{} << false;
            backendRow(b, "an id not handed out yet") << qint64(25) << 100 << QList<qint64>{} << false;
        }
    }

    void after()
    {
        QFETCH(qint64, id);
        QFETCH(int, limit);
        QFETCH(QList<qint64>, expected);
        QFETCH(bool, truncated);
        auto log = logWith(10);
        QVERIFY(log);
        const MessageLog::Page page = log->after(kLobby, id, limit);
        QCOMPARE(ids(page.messages), expected); // oldest first
        QCOMPARE(page.truncated, truncated);
    }

    void reopeningKeepsMessagesAndIds_data() { addBackendRows(kPersistentBackends); }

    void reopeningKeepsMessagesAndIds()
    {
        {
            auto log = logWith(3);
            QVERIFY(log);
        }
        auto log = openLog();
        QVERIFY(log);
        QCOMPARE(log->nextId(), 4);
        QCOMPARE(ids(log->last(kLobby, 10)), Spec::idRange(1, 3));
        QCOMPARE(log->last(kLobby, 1).constFirst().text, u"message 3"_s);
        const MessageLog::Appended next = log->append(message(4));
        QCOMPARE(std::get<ChatMessage>(next).id, 4);
    }

    // ---- implementation-specific ----

    void memoryKeepsItsCapacity_data()
    {
        addBackendColumn();
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("appended");
        QTest::addColumn<QList<qint64>>("kept");
        const Backend b = Backend::Memory;
        backendRow(b, "under capacity") << 100 << 3 << Spec::idRange(1, 3);
        backendRow(b, "exactly full") << 3 << 3 << Spec::idRange(1, 3);
        backendRow(b, "oldest dropped") << 3 << 10 << Spec::idRange(8, 10);
        backendRow(b, "capacity 0 keeps nothing") << 0 << 5 << QList<qint64>{};
        backendRow(b, "negative capacity keeps nothing") << -1 << 5 << QList<qint64>{};
    }

    void memoryKeepsItsCapacity()
    {
        QFETCH(int, capacity);
        QFETCH(int, appended);
        QFETCH(QList<qint64>, kept);
        MemoryMessageLog log(capacity);
        for (int n = 1; n <= appended; ++n)
            log.append(message(n));
        QCOMPARE(ids(log.last(kLobby, 1000)), kept);
        QCOMPARE(log.nextId(), appended + 1); // ids go on even when nothing is kept
        // What fell out of memory counts as missed.
        const MessageLog::Page page = log.after(kLobby, 0, 1000);
        QCOMPARE(ids(page.messages), kept);
        QCOMPARE(page.truncated, kept.size() < appended);
    }

    void memoryCapacityForHistory_data() { addBackendRows({Backend::Memory}); }

    void memoryCapacityForHistory()
    {
        QCOMPARE(MemoryMessageLog::capacityFor(0), 0);
        QCOMPARE(MemoryMessageLog::capacityFor(100), Protocol::kMaxResumeMessages);
        QCOMPARE(MemoryMessageLog::capacityFor(5000), 5000);
    }

    void sqliteOpenErrorsAreReadable_data()
    {
        addBackendColumn();
        QTest::addColumn<QString>("file");       // relative to the test directory
        QTest::addColumn<QByteArray>("content"); // written first unless empty
        QTest::addColumn<QString>("expected");
        const Backend b = Backend::Sqlite;
        backendRow(b, "missing directory") << u"no/such/dir/chat.db"_s << QByteArray() << u"cannot open"_s;
        backendRow(b, "not a database") << u"notes.txt"_s << QByteArray(4096, 'x') << u"not a database"_s;
        backendRow(b, "a directory") << u"."_s << QByteArray() << u"cannot"_s;
    }

    void sqliteOpenErrorsAreReadable()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString path = m_dir->filePath(file);
        if (!content.isEmpty()) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        const MessageLog::Opened opened = SqliteMessageLog::open(path);
        QVERIFY(std::holds_alternative<QString>(opened));
        const QString error = std::get<QString>(opened);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error));
    }

    void sqliteRefusesANewerSchema_data() { addBackendRows({Backend::Sqlite}); }

    void sqliteRefusesANewerSchema()
    {
        const QString path = m_dir->filePath(u"chat.db"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"newer"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(u"PRAGMA user_version=%1"_s.arg(SqliteMessageLog::kSchemaVersion + 1)));
        }
        QSqlDatabase::removeDatabase(u"newer"_s);
        const MessageLog::Opened opened = SqliteMessageLog::open(path);
        QVERIFY(std::holds_alternative<QString>(opened));
        QVERIFY2(std::get<QString>(opened).contains(u"newer chat-server"_s), qPrintable(std::get<QString>(opened)));
    }

    // Another process holding the write lock (longer than the busy timeout)
    // makes an append fail with a readable error; its id is not handed out again.
    void sqliteWriteFailureIsAnError_data() { addBackendRows({Backend::Sqlite}); }

    void sqliteWriteFailureIsAnError()
    {
        auto log = logWith(2);
        QVERIFY(log);
        const QString path = m_dir->filePath(u"chat.db"_s);
        {
            QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"locker"_s);
            other.setDatabaseName(path);
            QVERIFY(other.open());
            QSqlQuery lock(other);
            QVERIFY(lock.exec(u"BEGIN EXCLUSIVE"_s));

            const MessageLog::Appended failed = log->append(message(3));
            QVERIFY(std::holds_alternative<QString>(failed));
            const QString error = std::get<QString>(failed);
            QVERIFY2(error.contains(u"locked"_s) && error.contains(u"message 3"_s), qPrintable(error));

            QVERIFY(lock.exec(u"ROLLBACK"_s));
        }
        QSqlDatabase::removeDatabase(u"locker"_s);
        const MessageLog::Appended next = log->append(message(4));
        QVERIFY(std::holds_alternative<ChatMessage>(next));
        QCOMPARE(std::get<ChatMessage>(next).id, 4);
        QCOMPARE(ids(log->last(kLobby, 10)), (QList<qint64>{1, 2, 4}));
    }

    void redisUnreachableIsAReadableError_data() { addBackendRows({Backend::Redis}); }

    void redisUnreachableIsAReadableError()
    {
        RedisProcess redis;
        QVERIFY(redis.start());
        MessageLog::Opened opened = RedisMessageLog::open(redis.address());
        QVERIFY(std::holds_alternative<std::unique_ptr<MessageLog>>(opened));
        auto &log = std::get<std::unique_ptr<MessageLog>>(opened);
        QCOMPARE(std::get<ChatMessage>(log->append(message(1))).id, 1);

        QVERIFY(redis.kill());
        const MessageLog::Appended failed = log->append(message(2));
        QVERIFY(std::holds_alternative<QString>(failed));
        QVERIFY2(std::get<QString>(failed).contains(redis.url()), qPrintable(std::get<QString>(failed)));

        // Redis back (same port, same append-only file): the next message continues the ids.
        QVERIFY(redis.start());
        // It reconnects on a later append (not sooner than its retry delay); once stored, no more tries.
        bool stored = false;
        QTRY_VERIFY_WITH_TIMEOUT(stored || (stored = std::holds_alternative<ChatMessage>(log->append(message(3)))),
                                 5000);
        QCOMPARE(log->nextId(), 3); // 1, then 2 (the first success after the restart)
        QCOMPARE(ids(log->last(kLobby, 10)), Spec::idRange(1, 2));
    }

    void redisConnectionsSurviveBrokenPipes_data() { addBackendRows({Backend::Redis}); }

    void redisConnectionsSurviveBrokenPipes()
    {
        // hiredis writes with write(): a Redis closing the connection at the
        // wrong moment must not kill the server with SIGPIPE.
        RedisConnection connection(s_redis->address());
        struct sigaction action {
        };
        QCOMPARE(sigaction(SIGPIPE, nullptr, &action), 0);
        QVERIFY(action.sa_handler == SIG_IGN);
    }

    void redisOpenErrorsAreReadable_data() { addBackendRows({Backend::Redis}); }

    void redisOpenErrorsAreReadable()
    {
        const ReservedPort refused; // nothing listens there, and nothing else can bind it
        QVERIFY(refused.port() != 0);
        const MessageLog::Opened opened = RedisMessageLog::open(RedisAddress::server(u"127.0.0.1"_s, refused.port()));
        QVERIFY(std::holds_alternative<QString>(opened));
        QVERIFY2(std::get<QString>(opened).contains(u"cannot connect"_s), qPrintable(std::get<QString>(opened)));
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestMessageLog)
#include "tst_messagelog.moc"
