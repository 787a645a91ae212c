// SPDX-License-Identifier: MIT
// Moderation (docs/protocol.md, "Moderation") against a real server on port
// 0: /op with no, wrong and right passwords and the guard against guessing,
// the operator mark, kick, mute, slow mode, refusals for non-operators, and
// text-mode users. Time is a fake clock the tests advance: no sleeping.
#include "chatserver.h"
#include "serverfixture.h"
#include "spec.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString kPassword = u"s3cret pass"_s;
constexpr qint64 kMinute = 60 * 1000;
constexpr int kOutOfReachMsecs = 10 * 60 * 1000;

QJsonObject frame(const QString &type, std::initializer_list<std::pair<QString, QJsonValue>> fields = {})
{
    QJsonObject o{{u"type"_s, type}};
    for (const auto &[name, value] : fields)
        o.insert(name, value);
    return o;
}

QJsonObject op(const QString &password)
{
    return frame(u"op"_s, {{u"password"_s, password}});
}

auto containing(const QString &needle)
{
    return [needle](const QString &line) { return line.contains(needle); };
}

} // namespace

class TestServerModeration final : public QObject
{
    Q_OBJECT

private:
    ServerConfig moderatedConfig(const QString &password = kPassword)
    {
        ServerConfig config = TestServer::config();
        config.adminPassword = password;
        // Text-mode timers are real time and no test here is about them: out
        // of reach, so a slow machine cannot split a line or slip in a greeting.
        config.partialLineMsecs = kOutOfReachMsecs;
        config.greetingDelayMsecs = kOutOfReachMsecs;
        auto now = m_now;
        config.moderationClock = [now] { return *now; };
        return config;
    }

    void advance(qint64 msecs) { *m_now += msecs; }

    // `client` becomes an operator; everyone in `watchers` sees it.
    static bool makeOp(TestClient &client, const QString &nick, const QList<TestClient *> &watchers = {})
    {
        client.sendJson(op(kPassword));
        const QJsonObject opped = client.waitForFrame(u"opped"_s);
        if (opped.value(u"nick"_s).toString() != nick)
            return false;
        for (TestClient *watcher : watchers) {
            if (watcher->waitForFrame(u"opped"_s).value(u"nick"_s).toString() != nick)
                return false;
        }
        return true;
    }

    bool joinAsText(TestClient &client, const QString &firstLine)
    {
        if (!client.connectToServer(m_fixture.port()))
            return false;
        client.sendLine(firstLine);
        return client.waitForTextLine(containing(u"/quit"_s)).has_value();
    }

    std::shared_ptr<qint64> m_now = std::make_shared<qint64>(1000000);
    ServerFixture m_fixture;

private slots:
    void initTestCase() { TestServer::quietLogs(); }
    void init() { QVERIFY(m_fixture.start(moderatedConfig())); }
    void cleanup() { m_fixture.kill(); }

    void opRefusedWithoutAdminPassword()
    {
        QVERIFY(m_fixture.start(moderatedConfig(QString())));
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        alice.sendJson(op(u"anything"_s));
        const QJsonObject error = alice.waitForFrame(u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), u"op-disabled"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"op"_s);
        QVERIFY(error.value(u"message"_s).toString().contains(u"admin password"_s));
    }

    void wrongPasswordThenRetryDelayThenRight()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        QCOMPARE(clients.size(), 2u);
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];

        // Failed attempts are logged for the admin.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"wrong operator password"_s));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"tried /op while locked out"_s));
        alice.sendJson(op(u"guess"_s));
        QCOMPARE(alice.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"wrong-password"_s);

        // Straight away, even the right password is not checked.
        alice.sendJson(op(kPassword));
        const QJsonObject locked = alice.waitForFrame(u"error"_s);
        QCOMPARE(locked.value(u"code"_s).toString(), u"rate-limited"_s);
        QCOMPARE(locked.value(u"ref"_s).toString(), u"op"_s);
        QCOMPARE(locked.value(u"wait"_s).toInteger(), 3);

        advance(3000);
        QVERIFY(makeOp(alice, u"alice"_s, {&bob}));
        // Nobody saw the failed attempts.
        for (const QByteArray &line : bob.history())
            QVERIFY2(!line.contains("error"), line.constData());
    }

    void manyWrongPasswordsLockEveryone()
    {
        std::vector<std::unique_ptr<TestClient>> guessers;
        for (int i = 0; i < 5; ++i) {
            auto guesser = std::make_unique<TestClient>();
            QVERIFY(!guesser->join(m_fixture.port(), u"guesser%1"_s.arg(i)).isEmpty());
            guesser->sendJson(op(u"guess%1"_s.arg(i)));
            QCOMPARE(guesser->waitForFrame(u"error"_s).value(u"code"_s).toString(), u"wrong-password"_s);
            advance(1000);
            guessers.push_back(std::move(guesser));
        }
        // A fresh connection gains nothing: the whole server waits out the window.
        TestClient admin;
        QVERIFY(!admin.join(m_fixture.port(), u"admin"_s).isEmpty());
        admin.sendJson(op(kPassword));
        const QJsonObject locked = admin.waitForFrame(u"error"_s);
        QCOMPARE(locked.value(u"code"_s).toString(), u"rate-limited"_s);
        QCOMPARE(locked.value(u"wait"_s).toInteger(), 55);

        advance(55 * 1000);
        QVERIFY(makeOp(admin, u"admin"_s));
    }

    void operatorsMarkedInUsersAndWelcome()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        bob.sendJson(Spec::who());
        QVERIFY(!bob.waitForFrame(u"users"_s).contains(u"ops"_s)); // no operators: no field

        QVERIFY(makeOp(alice, u"alice"_s, {&bob}));
        bob.sendJson(Spec::who());
        const QJsonObject users = bob.waitForFrame(u"users"_s);
        QCOMPARE(Spec::strings(users.value(u"users"_s)), (QStringList{u"alice"_s, u"bob"_s}));
        QCOMPARE(Spec::strings(users.value(u"ops"_s)), QStringList{u"alice"_s});

        TestClient carol;
        const QJsonObject welcome = carol.join(m_fixture.port(), u"carol"_s);
        QCOMPARE(Spec::strings(welcome.value(u"ops"_s)), QStringList{u"alice"_s});

        // The mark follows a rename and is gone with the connection.
        alice.sendJson(Spec::nick(u"alicia"_s));
        QCOMPARE(carol.waitForFrame(u"renamed"_s).value(u"to"_s).toString(), u"alicia"_s);
        carol.sendJson(Spec::who());
        QCOMPARE(Spec::strings(carol.waitForFrame(u"users"_s).value(u"ops"_s)), QStringList{u"alicia"_s});
        alice.disconnectFromServer();
        QCOMPARE(carol.waitForFrame(u"left"_s).value(u"nick"_s).toString(), u"alicia"_s);
        carol.sendJson(Spec::who());
        QVERIFY(!carol.waitForFrame(u"users"_s).contains(u"ops"_s));
    }

    void nonOperatorsCannotModerate()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        TestClient &bob = *clients[1];
        const QList<QJsonObject> requests{
            frame(u"kick"_s, {{u"nick"_s, u"alice"_s}}),
            frame(u"mute"_s, {{u"nick"_s, u"alice"_s}}),
            frame(u"unmute"_s, {{u"nick"_s, u"alice"_s}}),
            frame(u"slow"_s, {{u"seconds"_s, 5}}),
        };
        for (const QJsonObject &request : requests) {
            bob.sendJson(request);
            const QJsonObject error = bob.waitForFrame(u"error"_s);
            QCOMPARE(error.value(u"code"_s).toString(), u"not-operator"_s);
            QCOMPARE(error.value(u"ref"_s).toString(), Spec::type(request));
        }
        // Still here, and so is alice.
        bob.sendJson(Spec::who());
        QCOMPARE(Spec::strings(bob.waitForFrame(u"users"_s).value(u"users"_s)).size(), 2);
    }

    void kickWithReasonSeenByEveryone()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s, u"carol"_s});
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        TestClient &carol = *clients[2];
        QVERIFY(makeOp(alice, u"alice"_s, {&bob, &carol}));

        alice.sendJson(frame(u"kick"_s, {{u"nick"_s, u"BOB"_s}, {u"reason"_s, u"  stop spamming "_s}}));
        for (TestClient *watcher : {&alice, &carol}) {
            const QJsonObject left = watcher->waitForFrame(u"left"_s);
            QCOMPARE(left.value(u"nick"_s).toString(), u"bob"_s);
            QCOMPARE(left.value(u"reason"_s).toString(), u"kicked"_s);
            QCOMPARE(left.value(u"by"_s).toString(), u"alice"_s);
            QCOMPARE(left.value(u"message"_s).toString(), u"stop spamming"_s);
        }

        // bob's last frame says who and why, then the server closes.
        QVERIFY(bob.waitForDisconnected());
        QJsonObject last;
        while (bob.pendingLines() > 0)
            last = bob.nextFrame();
        QCOMPARE(Spec::type(last), u"bye"_s);
        QCOMPARE(last.value(u"reason"_s).toString(), u"kicked"_s);
        QCOMPARE(last.value(u"by"_s).toString(), u"alice"_s);
        QCOMPARE(last.value(u"message"_s).toString(), u"stop spamming"_s);
        for (const QByteArray &line : bob.history())
            QVERIFY2(!line.contains("\"left\""), line.constData());

        alice.sendJson(frame(u"kick"_s, {{u"nick"_s, u"bob"_s}}));
        QCOMPARE(alice.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"no-such-user"_s);
    }

    void kickWithoutReason()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        TestClient &alice = *clients[0];
        QVERIFY(makeOp(alice, u"alice"_s, {clients[1].get()}));
        alice.sendJson(frame(u"kick"_s, {{u"nick"_s, u"bob"_s}}));
        const QJsonObject left = alice.waitForFrame(u"left"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"kicked"_s);
        QVERIFY(!left.contains(u"message"_s));
        QVERIFY(clients[1]->waitForDisconnected());
    }

    void muteRefusesThenExpires()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        QVERIFY(makeOp(alice, u"alice"_s, {&bob}));

        alice.sendJson(frame(u"mute"_s, {{u"nick"_s, u"bob"_s}, {u"minutes"_s, 2}}));
        for (TestClient *watcher : {&alice, &bob}) {
            const QJsonObject muted = watcher->waitForFrame(u"muted"_s);
            QCOMPARE(muted.value(u"nick"_s).toString(), u"bob"_s);
            QCOMPARE(muted.value(u"by"_s).toString(), u"alice"_s);
            QCOMPARE(muted.value(u"minutes"_s).toInteger(), 2);
            QVERIFY(Spec::isTimestamp(muted.value(u"until"_s)));
            QVERIFY(Spec::isTimestamp(muted.value(u"ts"_s)));
        }

        bob.sendJson(Spec::say(u"can I talk?"_s));
        QJsonObject error = bob.waitForFrame(u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), u"muted"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"say"_s);
        QCOMPARE(error.value(u"wait"_s).toInteger(), 120);
        bob.sendJson(Spec::whisper(u"alice"_s, u"psst"_s));
        QCOMPARE(bob.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"muted"_s);

        advance(kMinute);
        bob.sendJson(Spec::say(u"now?"_s));
        error = bob.waitForFrame(u"error"_s);
        QCOMPARE(error.value(u"wait"_s).toInteger(), 60);
        QVERIFY(error.value(u"message"_s).toString().contains(u"1 min"_s));

        advance(kMinute);
        bob.sendJson(Spec::say(u"free again"_s));
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"free again"_s);
    }

    void muteDefaultsAndUnmute()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        QVERIFY(makeOp(alice, u"alice"_s, {&bob}));

        alice.sendJson(frame(u"mute"_s, {{u"nick"_s, u"bob"_s}}));
        QCOMPARE(bob.waitForFrame(u"muted"_s).value(u"minutes"_s).toInteger(), 10);

        // Leaving and coming back does not lift it.
        bob.disconnectFromServer();
        QCOMPARE(alice.waitForFrame(u"left"_s).value(u"nick"_s).toString(), u"bob"_s);
        TestClient bob2;
        QVERIFY(!bob2.join(m_fixture.port(), u"Bob"_s).isEmpty());
        bob2.sendJson(Spec::say(u"I'm back"_s));
        QCOMPARE(bob2.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"muted"_s);

        alice.sendJson(frame(u"unmute"_s, {{u"nick"_s, u"bob"_s}}));
        const QJsonObject unmuted = bob2.waitForFrame(u"unmuted"_s);
        QCOMPARE(unmuted.value(u"nick"_s).toString(), u"Bob"_s);
        QCOMPARE(unmuted.value(u"by"_s).toString(), u"alice"_s);
        bob2.sendJson(Spec::say(u"thanks"_s));
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"thanks"_s);

        // "mute 0" lifts a mute too.
        alice.sendJson(frame(u"mute"_s, {{u"nick"_s, u"bob"_s}, {u"minutes"_s, 5}}));
        QCOMPARE(bob2.waitForFrame(u"muted"_s).value(u"minutes"_s).toInteger(), 5);
        alice.sendJson(frame(u"mute"_s, {{u"nick"_s, u"bob"_s}, {u"minutes"_s, 0}}));
        QCOMPARE(bob2.waitForFrame(u"unmuted"_s).value(u"nick"_s).toString(), u"Bob"_s);
        bob2.sendJson(Spec::say(u"ok"_s));
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"ok"_s);
    }

    void badModerationValues()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        QVERIFY(makeOp(alice, u"alice"_s));
        const QList<QJsonObject> requests{
            frame(u"mute"_s, {{u"nick"_s, u"alice"_s}, {u"minutes"_s, -1}}),
            frame(u"mute"_s, {{u"nick"_s, u"alice"_s}, {u"minutes"_s, 1.5}}),
            frame(u"mute"_s, {{u"nick"_s, u"alice"_s}, {u"minutes"_s, 7 * 24 * 60 + 1}}),
            frame(u"slow"_s),
            frame(u"slow"_s, {{u"seconds"_s, u"5"_s}}),
            frame(u"slow"_s, {{u"seconds"_s, 3601}}),
            frame(u"kick"_s),
            frame(u"op"_s),
        };
        for (const QJsonObject &request : requests) {
            alice.sendJson(request);
            const QJsonObject error = alice.waitForFrame(u"error"_s);
            QCOMPARE(error.value(u"code"_s).toString(), u"bad-frame"_s);
            QCOMPARE(error.value(u"ref"_s).toString(), Spec::type(request));
        }
    }

    void slowModeRefusesSecondPost()
    {
        auto clients = TestClient::joinAll(m_fixture.port(), {u"alice"_s, u"bob"_s});
        TestClient &alice = *clients[0];
        TestClient &bob = *clients[1];
        QVERIFY(makeOp(alice, u"alice"_s, {&bob}));

        alice.sendJson(frame(u"slow"_s, {{u"seconds"_s, 10}}));
        for (TestClient *watcher : {&alice, &bob}) {
            const QJsonObject slow = watcher->waitForFrame(u"slow"_s);
            QCOMPARE(slow.value(u"seconds"_s).toInteger(), 10);
            QCOMPARE(slow.value(u"by"_s).toString(), u"alice"_s);
        }
        TestClient carol;
        QCOMPARE(carol.join(m_fixture.port(), u"carol"_s).value(u"slow"_s).toInteger(), 10);

        bob.sendJson(Spec::say(u"one"_s));
        QCOMPARE(bob.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"one"_s);
        advance(4000);
        bob.sendJson(Spec::say(u"two"_s));
        const QJsonObject error = bob.waitForFrame(u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), u"slow-mode"_s);
        QCOMPARE(error.value(u"ref"_s).toString(), u"say"_s);
        QCOMPARE(error.value(u"wait"_s).toInteger(), 6);
        QVERIFY2(error.value(u"message"_s).toString().contains(u"wait 6 s"_s),
                 qPrintable(error.value(u"message"_s).toString()));
        // Whispers are not posts to the room.
        bob.sendJson(Spec::whisper(u"alice"_s, u"psst"_s));
        QCOMPARE(bob.waitForFrame(u"whisper"_s).value(u"text"_s).toString(), u"psst"_s);

        // Operators are not slowed down.
        alice.sendJson(Spec::say(u"a1"_s));
        alice.sendJson(Spec::say(u"a2"_s));
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"one"_s);
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"a1"_s);
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"a2"_s);

        advance(6000);
        bob.sendJson(Spec::say(u"three"_s));
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"three"_s);

        alice.sendJson(frame(u"slow"_s, {{u"seconds"_s, 0}}));
        QCOMPARE(bob.waitForFrame(u"slow"_s).value(u"seconds"_s).toInteger(), 0);
        bob.sendJson(Spec::say(u"four"_s));
        bob.sendJson(Spec::say(u"five"_s));
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"four"_s);
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"five"_s);
    }

    void textModeOperator()
    {
        TestClient bob;
        QVERIFY(!bob.join(m_fixture.port(), u"bob"_s).isEmpty());
        TestClient human;
        QVERIFY(joinAsText(human, u"/op wrong"_s));
        QVERIFY(human.waitForTextLine(containing(u"* error: wrong operator password"_s)));
        advance(3000);
        human.sendLine(u"/op "_s + kPassword);
        QVERIFY(human.waitForTextLine(containing(u"* guest1 is now an operator"_s)));
        QCOMPARE(bob.waitForFrame(u"opped"_s).value(u"nick"_s).toString(), u"guest1"_s);

        human.sendLine(u"/who"_s);
        QVERIFY(human.waitForTextLine(containing(u"2 users online: bob, @guest1"_s)));
        human.sendLine(u"/slow ten"_s);
        QVERIFY(human.waitForTextLine(containing(u"* usage: /slow SECONDS"_s)));
        human.sendLine(u"/slow 30"_s);
        QVERIFY(human.waitForTextLine(containing(u"* guest1 turned slow mode on: one message per 30 seconds"_s)));
        human.sendLine(u"/mute bob 3"_s);
        QVERIFY(human.waitForTextLine(containing(u"* bob was muted by guest1 for 3 minutes"_s)));
        human.sendLine(u"/unmute bob"_s);
        QVERIFY(human.waitForTextLine(containing(u"* bob was unmuted by guest1"_s)));

        human.sendLine(u"/kick bob go cool off"_s);
        QVERIFY(human.waitForTextLine(containing(u"* bob was kicked by guest1 (go cool off)"_s)));
        QVERIFY(bob.waitForDisconnected());
        QCOMPARE(bob.waitForFrame(u"bye"_s).value(u"message"_s).toString(), u"go cool off"_s);
    }

    void textModeUserMutedAndKicked()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        QVERIFY(makeOp(alice, u"alice"_s));
        TestClient human;
        QVERIFY(joinAsText(human, u"/who"_s));
        QVERIFY(human.waitForTextLine(containing(u"@alice"_s)));
        QCOMPARE(alice.waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"guest1"_s);

        human.sendLine(u"/kick alice"_s);
        QVERIFY(human.waitForTextLine(containing(u"* error: only operators can use /kick"_s)));

        alice.sendJson(frame(u"mute"_s, {{u"nick"_s, u"guest1"_s}}));
        QVERIFY(human.waitForTextLine(containing(u"* guest1 was muted by alice for 10 minutes"_s)));
        human.sendLine(u"hello?"_s);
        QVERIFY(human.waitForTextLine(containing(u"* error: you are muted for another 10 min"_s)));

        alice.sendJson(frame(u"kick"_s, {{u"nick"_s, u"guest1"_s}, {u"reason"_s, u"enough"_s}}));
        QVERIFY(human.waitForDisconnected());
        std::optional<QString> last;
        while (human.pendingLines() > 0)
            last = human.nextTextLine();
        QVERIFY(last);
        QCOMPARE(*last, u"* You were kicked by alice: enough"_s);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerModeration)
#include "tst_server_moderation.moc"
