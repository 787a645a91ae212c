// SPDX-License-Identifier: MIT
// RedisMessageLog::startAppendAll against a real redis-server: a batch of
// posts to #lobby and to other rooms is stored without the caller waiting,
// one step after another from the event loop, the ids in the order of the
// posts (issue #16). The contract all logs share is tst_messagelog's.
#include "redismessagelog.h"
#include "redisprocess.h"
#include "redistest.h"
#include "testharness.h"
#include "validation.h"

#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using Protocol::ChatMessage;

namespace {
const QByteArray kPrefix = "t:";

MessageLog::Post post(int n, const QString &room = {})
{
    return MessageLog::Post{ChatMessage{0, u"alice"_s, u"message %1"_s.arg(n),
                                        QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + n, Qt::UTC), false, room}};
}

QList<qint64> idsOf(const QList<ChatMessage> &messages)
{
    QList<qint64> ids;
    for (const ChatMessage &message : messages)
        ids.append(message.id);
    return ids;
}

// The ids stored, -1 for a post that failed.
QList<qint64> idsOf(const QList<MessageLog::Appended> &stored)
{
    QList<qint64> ids;
    for (const MessageLog::Appended &appended : stored) {
        const auto *message = std::get_if<ChatMessage>(&appended);
        ids.append(message ? message->id : -1);
    }
    return ids;
}
} // namespace

class TestRedisMessageLog : public RedisTest
{
    Q_OBJECT

    static std::unique_ptr<MessageLog> open(const RedisAddress &address)
    {
        MessageLog::Opened opened = RedisMessageLog::open(address, kPrefix);
        if (const auto *error = std::get_if<QString>(&opened)) {
            qWarning().noquote() << "cannot open the log:" << *error;
            return nullptr;
        }
        return std::move(std::get<std::unique_ptr<MessageLog>>(opened));
    }

    // What `done` was given: set once, never inside startAppendAll().
    struct Answer {
        std::optional<QList<MessageLog::Appended>> stored;
        int calls = 0;
        MessageLog::AppendedDone done()
        {
            return [this](const QList<MessageLog::Appended> &appended) {
                stored = appended;
                ++calls;
            };
        }
    };

private slots:
    // Each room's messages in its own stream, every id in the order said,
    // though another room's post takes two round trips of its own.
    void aBatchAcrossRoomsIsStoredLaterInItsOrder()
    {
        auto log = open(m_fixture.address());
        QVERIFY(log);
        Answer answer;
        QVERIFY(
            log->startAppendAll({post(1), post(2, u"#dev"_s), post(3), post(4, u"#Ops"_s), post(5)}, answer.done()));
        QCOMPARE(answer.calls, 0); // the caller goes on meanwhile
        QTRY_COMPARE(answer.calls, 1);
        QCOMPARE(idsOf(*answer.stored), (QList<qint64>{1, 2, 3, 4, 5}));
        QCOMPARE(std::get<ChatMessage>(answer.stored->at(3)).room, u"#Ops"_s);
        QCOMPARE(idsOf(log->last(Protocol::lobby(), 10)), (QList<qint64>{1, 3, 5}));
        QCOMPARE(idsOf(log->last(Validation::roomKey(u"#dev"_s), 10)), QList<qint64>{2});
        const QList<ChatMessage> ops = log->last(Validation::roomKey(u"#ops"_s), 10);
        QCOMPARE(idsOf(ops), QList<qint64>{4});
        QCOMPARE(ops.constFirst().text, u"message 4"_s);
        QCOMPARE(log->nextId(), 6);
    }

    // Another instance's message in the room with a newer id than the one
    // this post took: it takes ids until one is above, and what follows it
    // in the batch comes after it; finishAppends() waits for every step.
    void aRoomPostBehindANewerIdTakesAnother()
    {
        auto log = open(m_fixture.address());
        QVERIFY(log);
        const QList<MessageLog::Appended> before =
            log->appendAll({post(1, u"#dev"_s), post(2, u"#dev"_s), post(3, u"#dev"_s)});
        QCOMPARE(idsOf(before), (QList<qint64>{1, 2, 3}));
        // As if two other instances had each taken a number: 2 and 3 are
        // taken again here, and refused by the room's stream.
        QVERIFY(RedisConnection::errorOf(m_fixture.redis().command({"SET", kPrefix + "seq", "1"})).isEmpty());

        Answer answer;
        QVERIFY(log->startAppendAll({post(4, u"#dev"_s), post(5)}, answer.done()));
        QCOMPARE(answer.calls, 0);
        log->finishAppends();
        QCOMPARE(answer.calls, 1);
        QCOMPARE(idsOf(*answer.stored), (QList<qint64>{4, 5}));
        QCOMPARE(idsOf(log->last(Validation::roomKey(u"#dev"_s), 10)), (QList<qint64>{1, 2, 3, 4}));
        QCOMPARE(idsOf(log->last(Protocol::lobby(), 10)), QList<qint64>{5});
    }

    // Redis gone after the first step went out: every post of the batch
    // fails, and what came after the broken step was never sent (it is not
    // there when Redis comes back), so "not sent" is true.
    void aConnectionLostMidBatchFailsTheRestUnsent()
    {
        RedisProcess redis;
        QVERIFY(redis.start());
        auto log = open(redis.address());
        QVERIFY(log);
        Answer answer;
        QVERIFY(log->startAppendAll({post(1, u"#dev"_s), post(2), post(3)}, answer.done()));
        QVERIFY(redis.kill());
        QTRY_COMPARE(answer.calls, 1);
        QCOMPARE(idsOf(*answer.stored), (QList<qint64>{-1, -1, -1}));
        for (const MessageLog::Appended &failed : std::as_const(*answer.stored))
            QVERIFY2(std::get<QString>(failed).contains(redis.url()), qPrintable(std::get<QString>(failed)));

        QVERIFY(redis.start()); // same port, same append-only file
        auto after = open(redis.address());
        QVERIFY(after);
        QVERIFY(after->last(Protocol::lobby(), 10).isEmpty());
        QVERIFY(after->last(Validation::roomKey(u"#dev"_s), 10).isEmpty());
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestRedisMessageLog)
#include "tst_redismessagelog.moc"
