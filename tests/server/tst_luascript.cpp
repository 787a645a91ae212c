// SPDX-License-Identifier: MIT
// LuaScript against a real redis-server: the scripts run as Redis functions
// (FCALL, the text sent once rather than with every post), and a Redis that
// lost them is given them again by the next call. And what roomrestore.lua
// (ClusterRooms::restore) adds, says and leaves alone.
#include "luascript.h"
#include "redisconnection.h"
#include "redistest.h"
#include "testharness.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestLuaScript : public RedisTest
{
    Q_OBJECT

    // post.lua: INCR the sequence, XADD the entry, return the id (an empty
    // epoch argument: not checked).
    LuaScript m_post{{u"post"_s}};

    RedisConnection::Result post()
    {
        return m_post.call(m_fixture.redis(), {"t:sequence", "t:stream", "t:epoch"},
                           {"100", "", "kind", "message", "text", "hi"});
    }
    QStringList libraries()
    {
        QStringList names;
        const RedisConnection::Result list = m_fixture.redis().command({"FUNCTION", "LIST"});
        // [[library_name, NAME, engine, LUA, functions, [...]], ...]
        for (const RedisReply &library : std::get<RedisReply>(list).elements)
            names.append(QString::fromUtf8(library.elements.value(1).string));
        return names;
    }

private slots:
    void nameIsTheHashOfTheText()
    {
        QVERIFY2(m_post.name().startsWith("qtchat_") && m_post.name().size() == 7 + 16, m_post.name().constData());
        QCOMPARE(LuaScript({u"post"_s}).name(), m_post.name());
        QVERIFY(LuaScript({u"claim"_s}).name() != m_post.name());
    }

    void runsAsAFunctionLoadedOnce()
    {
        for (qint64 expected = 1; expected <= 3; ++expected) {
            const RedisConnection::Result result = post();
            QVERIFY2(RedisConnection::errorOf(result).isEmpty(), qPrintable(RedisConnection::errorOf(result)));
            QCOMPARE(std::get<RedisReply>(result).integer, expected);
        }
        QCOMPARE(libraries(), QStringList{QString::fromLatin1(m_post.name())});
        // The text went to Redis once; the posts were FCALLs, never EVALs.
        QCOMPARE(m_fixture.calls("function|load"), 1);
        QCOMPARE(m_fixture.calls("fcall"), 4); // the first found nothing and was repeated after the load
        QCOMPARE(m_fixture.calls("eval"), 0);
        const RedisConnection::Result length = m_fixture.redis().command({"XLEN", "t:stream"});
        QCOMPARE(std::get<RedisReply>(length).integer, 3);
    }

    void lostFunctionsAreLoadedAgain()
    {
        QCOMPARE(std::get<RedisReply>(post()).integer, 1);
        // As after a Redis restarted without its data, or an operator's FUNCTION FLUSH.
        QVERIFY(RedisConnection::errorOf(m_fixture.redis().command({"FUNCTION", "FLUSH"})).isEmpty());
        const RedisConnection::Result again = post();
        QVERIFY2(RedisConnection::errorOf(again).isEmpty(), qPrintable(RedisConnection::errorOf(again)));
        QCOMPARE(std::get<RedisReply>(again).integer, 2);
        QCOMPARE(m_fixture.calls("function|load"), 2);
    }

    void libraryLoadedByAnotherInstanceIsUsed()
    {
        // Another instance of the same version loaded it first.
        QVERIFY(RedisConnection::errorOf(m_fixture.redis().command({"FUNCTION", "LOAD", m_post.library()})).isEmpty());
        QCOMPARE(std::get<RedisReply>(post()).integer, 1);
        QCOMPARE(m_fixture.calls("function|load"), 1);
        QCOMPARE(m_fixture.calls("fcall"), 1);
    }

    void scriptErrorsReachTheCaller()
    {
        // A wrong type under the sequence's key: Redis's error, not a reload loop.
        QVERIFY(RedisConnection::errorOf(m_fixture.redis().command({"SET", "t:sequence", "not a number"})).isEmpty());
        const RedisConnection::Result result = post();
        QVERIFY2(RedisConnection::errorOf(result).contains(u"not an integer"_s),
                 qPrintable(RedisConnection::errorOf(result)));
        QCOMPARE(m_fixture.calls("function|load"), 1);
    }

    void roomRestoreAddsOnlyWhatIsMissing()
    {
        // roomrestore.lua (ClusterRooms::restore): a member put back once,
        // with the record's name; its `joined` entry only when given; a
        // nickname another instance holds in the room left alone.
        const LuaScript restore({u"appendafternewest"_s, u"roomrestore"_s});
        const QList<QByteArray> keys{"t:{#dev}:record", "t:{#dev}:members", "t:{#dev}:where", "t:{#dev}:stream"};
        const auto call = [&](const QByteArray &nickKey, const QByteArray &instance, bool announced) {
            QList<QByteArray> arguments{nickKey, nickKey, instance, "#Dev", "100"};
            if (announced)
                arguments += {"k", "e", "f", "{}", "i", instance, "c", "7", "t", ""};
            const RedisConnection::Result result = restore.call(m_fixture.redis(), keys, arguments);
            return RedisConnection::errorOf(result).isEmpty() ? std::get<RedisReply>(result).integer : -2;
        };
        const auto streamLength = [this] {
            return std::get<RedisReply>(m_fixture.redis().command({"XLEN", "t:{#dev}:stream"})).integer;
        };
        QCOMPARE(call("alice", "a", false), 1);
        QCOMPARE(streamLength(), 0);
        QCOMPARE(std::get<RedisReply>(m_fixture.redis().command({"HGET", "t:{#dev}:record", "name"})).string, "#Dev");
        QCOMPARE(call("alice", "a", true), 0); // there already: nothing to say
        QCOMPARE(streamLength(), 0);
        QCOMPARE(call("bob", "a", true), 1);
        QCOMPARE(streamLength(), 1);
        QCOMPARE(call("bob", "b", true), -1); // bob is instance a's user in the room
        QCOMPARE(std::get<RedisReply>(m_fixture.redis().command({"HGET", "t:{#dev}:where", "bob"})).string, "a");
        QCOMPARE(streamLength(), 1);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestLuaScript)
#include "tst_luascript.moc"
