// SPDX-License-Identifier: MIT
// The message log seen from the wire, with a real server in-process: --store
// keeps history and ids across a restart, `hello` `since` returns exactly
// the missed messages, bounded and flagged, and a store that fails to write
// refuses the message with `store-failed`.
#include "chatserver.h"
#include "protocol.h"
#include "serverfixture.h"
#include "spec.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QList<qint64> historyIds(const QJsonObject &welcome)
{
    return Spec::ids(welcome.value(u"history"_s).toArray());
}

} // namespace

class TestServerStore final : public QObject
{
    Q_OBJECT

private:
    ServerConfig config() const
    {
        QFETCH(bool, persistent);
        ServerConfig c = TestServer::config();
        c.rate = 0;
        if (persistent)
            c.store = m_dir->filePath(u"chat.db"_s);
        return c;
    }

    // `client` says each text and waits for the echo; returns the ids.
    static QList<qint64> post(TestClient &client, const QStringList &texts)
    {
        for (const QString &text : texts)
            client.sendJson(Spec::say(text));
        QList<qint64> ids;
        for (const QString &text : texts) {
            const QJsonObject echo = client.waitForFrame(u"message"_s);
            if (echo.value(u"text"_s).toString() != text)
                return {};
            ids.append(echo.value(u"id"_s).toInteger());
        }
        return ids;
    }

    // Joins with `since` and returns the welcome (empty on failure).
    static QJsonObject rejoin(TestClient &client, quint16 port, const QString &nick, const QJsonValue &since)
    {
        if (!client.connectToServer(port))
            return {};
        client.sendJson(Spec::helloSince(nick, since));
        return client.waitForFrame(u"welcome"_s);
    }

    // The `persistent` column, first in every test's data: the message log
    // in memory (no --store) or in SQLite (--store). Only the logs a test
    // applies to get a row, so no row is skipped for being the wrong one.
    enum class Logs { MemoryAndStore, StoreOnly };
    static void addLogColumn() { QTest::addColumn<bool>("persistent"); }
    static QList<bool> persistence(Logs logs)
    {
        return logs == Logs::StoreOnly ? QList<bool>{true} : QList<bool>{false, true};
    }
    static const char *logName(bool persistent) { return persistent ? "store" : "memory"; }
    // The data of a test with no columns of its own.
    static void addLogRows(Logs logs)
    {
        addLogColumn();
        for (bool persistent : persistence(logs))
            QTest::newRow(logName(persistent)) << persistent;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    ServerFixture m_fixture;

private slots:
    void initTestCase() { TestServer::quietLogs(); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        QVERIFY(m_fixture.start(config()));
    }

    void cleanup() { m_fixture.kill(); }

    // A memory log starts again after a restart: this is the store's promise.
    void storeKeepsHistoryAndIdsAcrossRestart_data() { addLogRows(Logs::StoreOnly); }

    void storeKeepsHistoryAndIdsAcrossRestart()
    {
        {
            TestClient alice;
            QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
            QCOMPARE(post(alice, {u"one"_s, u"two"_s, u"안녕하세요\nthree"_s}), Spec::idRange(1, 3));
        }
        m_fixture.kill();
        QVERIFY(m_fixture.start(config()));

        TestClient bob;
        const QJsonObject welcome = bob.join(m_fixture.port(), u"bob"_s);
        QCOMPARE(historyIds(welcome), Spec::idRange(1, 3));
        const QJsonObject third = welcome.value(u"history"_s).toArray().at(2).toObject();
        QCOMPARE(third.value(u"from"_s).toString(), u"alice"_s);
        QCOMPARE(third.value(u"text"_s).toString(), u"안녕하세요\nthree"_s);
        QVERIFY(Spec::isTimestamp(third.value(u"ts"_s)));
        QCOMPARE(post(bob, {u"four"_s}), QList<qint64>{4});
    }

    void sinceReturnsExactlyTheMissedMessages_data() { addLogRows(Logs::MemoryAndStore); }

    void sinceReturnsExactlyTheMissedMessages()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        QCOMPARE(post(alice, {u"m1"_s, u"m2"_s}), Spec::idRange(1, 2));
        // bob saw 1 and 2, then was away for 3..5.
        QCOMPARE(post(alice, {u"m3"_s, u"m4"_s, u"m5"_s}), Spec::idRange(3, 5));

        TestClient bob;
        const QJsonObject welcome = rejoin(bob, m_fixture.port(), u"bob"_s, 2);
        QCOMPARE(historyIds(welcome), Spec::idRange(3, 5));
        QVERIFY(!welcome.contains(u"truncated"_s));
        QCOMPARE(welcome.value(u"history"_s).toArray().first().toObject().value(u"text"_s).toString(), u"m3"_s);

        TestClient carol; // saw everything
        const QJsonObject upToDate = rejoin(carol, m_fixture.port(), u"carol"_s, 5);
        QVERIFY(upToDate.value(u"history"_s).toArray().isEmpty());
        QVERIFY(!upToDate.contains(u"truncated"_s));

        TestClient dave; // no since: the usual recent history
        QCOMPARE(historyIds(dave.join(m_fixture.port(), u"dave"_s)), Spec::idRange(1, 5));

        TestClient erin; // an id this server never handed out: the usual history
        QCOMPARE(historyIds(rejoin(erin, m_fixture.port(), u"erin"_s, 99)), Spec::idRange(1, 5));
    }

    void sinceIsTruncatedToTheNewest_data() { addLogRows(Logs::MemoryAndStore); }

    void sinceIsTruncatedToTheNewest()
    {
        constexpr int kMore = 5;
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        QStringList texts;
        for (int i = 1; i <= Protocol::kMaxResumeMessages + kMore; ++i)
            texts.append(u"m%1"_s.arg(i));
        QCOMPARE(post(alice, texts).size(), texts.size());

        TestClient bob;
        const QJsonObject welcome = rejoin(bob, m_fixture.port(), u"bob"_s, 0);
        QCOMPARE(historyIds(welcome), Spec::idRange(kMore + 1, Protocol::kMaxResumeMessages + kMore));
        QCOMPARE(welcome.value(u"truncated"_s), QJsonValue(true));

        TestClient carol; // within the bound: all of them, no flag
        const QJsonObject recent = rejoin(carol, m_fixture.port(), u"carol"_s, kMore);
        QCOMPARE(historyIds(recent).size(), Protocol::kMaxResumeMessages);
        QVERIFY(!recent.contains(u"truncated"_s));
    }

    void sinceIsBoundedInBytes_data() { addLogRows(Logs::MemoryAndStore); }

    void sinceIsBoundedInBytes()
    {
        // 1000 messages of 4000 characters would make a 12 MB line: fewer are sent, flagged.
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        QStringList texts;
        for (int i = 1; i <= 300; ++i)
            texts.append(u"%1 "_s.arg(i) + u"x"_s.repeated(Protocol::kMaxTextLength - 10));
        QCOMPARE(post(alice, texts).size(), texts.size());

        TestClient bob;
        const QJsonObject welcome = rejoin(bob, m_fixture.port(), u"bob"_s, 0);
        const QList<qint64> ids = historyIds(welcome);
        QVERIFY(!ids.isEmpty());
        QVERIFY2(ids.size() < 300, qPrintable(QString::number(ids.size())));
        QCOMPARE(ids.constLast(), 300);
        QCOMPARE(ids, Spec::idRange(ids.constFirst(), 300));
        QCOMPARE(welcome.value(u"truncated"_s), QJsonValue(true));
    }

    void badSinceIsABadFrame_data()
    {
        addLogColumn();
        QTest::addColumn<QJsonValue>("since");
        for (bool persistent : persistence(Logs::MemoryAndStore)) {
            const char *log = logName(persistent);
            QTest::addRow("%s:negative", log) << persistent << QJsonValue(-1);
            QTest::addRow("%s:fraction", log) << persistent << QJsonValue(1.5);
            QTest::addRow("%s:string", log) << persistent << QJsonValue(u"3"_s);
            QTest::addRow("%s:array", log) << persistent << QJsonValue(QJsonArray{1});
        }
    }

    void badSinceIsABadFrame()
    {
        QFETCH(QJsonValue, since);
        TestClient alice;
        QVERIFY(alice.connectToServer(m_fixture.port()));
        alice.sendJson(Spec::helloSince(u"alice"_s, since));
        const QJsonObject error = alice.nextFrame();
        QCOMPARE(error.value(u"code"_s).toString(), u"bad-frame"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"hello"_s);
        // Still unregistered: a good hello works.
        alice.sendJson(Spec::helloSince(u"alice"_s, QJsonValue::Null));
        QCOMPARE(Spec::type(alice.nextFrame()), u"welcome"_s);
    }

    void historyOffMeansNoResumeEither_data() { addLogRows(Logs::MemoryAndStore); }

    void historyOffMeansNoResumeEither()
    {
        ServerConfig c = config();
        c.history = 0;
        m_fixture.kill();
        QVERIFY(m_fixture.start(c));
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        QCOMPARE(post(alice, {u"m1"_s, u"m2"_s}), Spec::idRange(1, 2));
        TestClient bob;
        QVERIFY(rejoin(bob, m_fixture.port(), u"bob"_s, 0).value(u"history"_s).toArray().isEmpty());
    }

    // Another process holds the store's write lock longer than the server
    // waits: the sender gets `store-failed`, nobody gets the message, and the
    // next message works once the lock is gone. (Memory does not fail.)
    void storeWriteFailureRefusesTheMessage_data() { addLogRows(Logs::StoreOnly); }

    void storeWriteFailureRefusesTheMessage()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        QCOMPARE(post(alice, {u"before"_s}), QList<qint64>{1});
        QCOMPARE(bob.waitForFrame(u"message"_s).value(u"id"_s).toInteger(), 1);

        {
            QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"locker"_s);
            other.setDatabaseName(config().store);
            QVERIFY(other.open());
            QSqlQuery lock(other);
            QVERIFY(lock.exec(u"BEGIN EXCLUSIVE"_s));
            alice.sendJson(Spec::say(u"lost"_s));
            const QJsonObject error = alice.nextFrame();
            QCOMPARE(error.value(u"type"_s).toString(), u"error"_s);
            QCOMPARE(error.value(u"code"_s).toString(), u"store-failed"_s);
            QCOMPARE(error.value(u"ref"_s).toString(), u"say"_s);
            QVERIFY(lock.exec(u"ROLLBACK"_s));
        }
        QSqlDatabase::removeDatabase(u"locker"_s);

        const QList<qint64> after = post(alice, {u"after"_s});
        QCOMPARE(after.size(), 1);
        QVERIFY(after.first() > 1);
        const QJsonObject seen = bob.nextFrame(); // "lost" never reached bob
        QCOMPARE(seen.value(u"text"_s).toString(), u"after"_s);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerStore)
#include "tst_server_store.moc"
