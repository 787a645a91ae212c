// SPDX-License-Identifier: MIT
// Text mode (netcat, telnet, raw sockets) against a real server on port 0:
// the greeting, guest nicks, slash commands, partial lines, invalid UTF-8,
// and text users and JSON users seeing each other.
#include "chatserver.h"
#include "serverfixture.h"
#include "spec.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

bool isEventLine(const QString &line)
{
    // "[22:00] <alice> hi", "[22:01] * carol joined"
    static const QRegularExpression stamped(u"^\\[\\d\\d:\\d\\d\\] "_s);
    return stamped.match(line).hasMatch();
}

auto containing(const QString &needle)
{
    return [needle](const QString &line) { return line.contains(needle); };
}

} // namespace

class TestServerText final : public QObject
{
    Q_OBJECT

private:
    // Both text-mode timers are real time. A test that is not about one of
    // them pushes it out of reach, so that a loaded machine cannot make a
    // greeting arrive before the reply a test expects, or take a line that
    // arrived in two pieces for two lines.
    static ServerConfig noTimersConfig()
    {
        ServerConfig config = TestServer::config();
        config.greetingDelayMsecs = kOutOfReachMsecs;
        config.partialLineMsecs = kOutOfReachMsecs;
        return config;
    }

    static ServerConfig greetingConfig(int delayMsecs)
    {
        ServerConfig config = noTimersConfig();
        config.greetingDelayMsecs = delayMsecs;
        return config;
    }

    // A text user who has joined (as a guest) by saying `firstLine`; its welcome lines are consumed.
    bool joinAsText(TestClient &client, const QString &firstLine)
    {
        if (!client.connectToServer(m_fixture.port()))
            return false;
        client.sendLine(firstLine);
        return client.waitForTextLine(containing(u"/quit"_s)).has_value();
    }

    // Far beyond any wait of these tests.
    static constexpr int kOutOfReachMsecs = 10 * 60 * 1000;
    // For tests that wait for a greeting.
    static constexpr int kQuickGreetingMsecs = 100;
    // The default (ServerConfig): how long a client that speaks at once has
    // to be read before its greeting would be due.
    static constexpr int kDefaultGreetingMsecs = 1000;
    static constexpr int kQuickPartialLineMsecs = 50;

    ServerFixture m_fixture;

private slots:
    void initTestCase() { TestServer::quietLogs(); }
    void init() { QVERIFY(m_fixture.start(noTimersConfig())); }
    void cleanup() { m_fixture.kill(); }

    void greetingForSilentConnection()
    {
        QVERIFY(m_fixture.start(greetingConfig(kQuickGreetingMsecs)));
        TestClient human;
        QVERIFY(human.connectToServer(m_fixture.port()));
        const std::optional<QString> greeting = human.nextTextLine();
        QVERIFY(greeting);
        QVERIFY2(greeting->startsWith(u"* "_s), qPrintable(*greeting));

        // Only one greeting; after it the user can just type.
        human.sendLine(u"hi all"_s);
        const std::optional<QString> next = human.nextTextLine();
        QVERIFY(next);
        QVERIFY2(next->contains(u"guest1"_s), qPrintable(*next));
    }

    // A client that speaks at once gets no greeting: its first line is the answer.
    void noGreetingForClientsThatSpeakFirst()
    {
        QVERIFY(m_fixture.start(greetingConfig(kDefaultGreetingMsecs)));
        TestClient program;
        QVERIFY(program.connectToServer(m_fixture.port()));
        program.sendJson(Spec::hello(u"bot"_s));
        const std::optional<QByteArray> first = program.nextLine();
        QVERIFY(first);
        QCOMPARE(Spec::type(QJsonDocument::fromJson(*first).object()), u"welcome"_s);
        // Later replies are not interleaved with a greeting either. A silent
        // client that connects now is greeted after the program's greeting
        // would have been due: only then does the program ask for its pong.
        TestClient silent;
        QVERIFY(silent.connectToServer(m_fixture.port()));
        const std::optional<QString> greeting = silent.nextTextLine();
        QVERIFY(greeting);
        QVERIFY2(greeting->startsWith(u"* "_s), qPrintable(*greeting));
        program.sendJson(Spec::ping(1));
        const std::optional<QByteArray> second = program.nextLine();
        QVERIFY(second);
        QCOMPARE(Spec::type(QJsonDocument::fromJson(*second).object()), u"pong"_s);
    }

    // JSON clients skip the greeting if they were slow to say hello.
    void jsonClientAfterGreeting()
    {
        QVERIFY(m_fixture.start(greetingConfig(kQuickGreetingMsecs)));
        TestClient program;
        QVERIFY(program.connectToServer(m_fixture.port()));
        QVERIFY(program.nextTextLine()->startsWith(u"* "_s));
        program.sendJson(Spec::hello(u"slowbot"_s));
        QCOMPARE(program.nextFrame().value(u"nick"_s).toString(), u"slowbot"_s);
    }

    void firstLineJoinsAsGuestAndIsPosted()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        TestClient human;
        QVERIFY(human.connectToServer(m_fixture.port()));
        human.sendLine(u"hello from netcat"_s);

        const QJsonObject joined = alice.nextFrame();
        QCOMPARE(Spec::type(joined), u"joined"_s);
        QCOMPARE(joined.value(u"nick"_s).toString(), u"guest1"_s);
        const QJsonObject message = alice.nextFrame();
        QCOMPARE(Spec::type(message), u"message"_s);
        QCOMPARE(message.value(u"from"_s).toString(), u"guest1"_s);
        QCOMPARE(message.value(u"text"_s).toString(), u"hello from netcat"_s);

        // The human is told their nick, who is online and the commands, then sees their own line.
        QStringList welcome;
        while (!welcome.join(u'\n').contains(u"/quit"_s)) {
            const std::optional<QString> line = human.nextTextLine();
            QVERIFY(line);
            QVERIFY2(line->startsWith(u"* "_s), qPrintable(*line));
            welcome.append(*line);
        }
        const QString told = welcome.join(u'\n');
        QVERIFY2(told.contains(u"guest1"_s) && told.contains(u"alice"_s), qPrintable(told));
        for (const QString &command : {u"/nick"_s, u"/msg"_s, u"/me"_s, u"/who"_s, u"/help"_s})
            QVERIFY2(told.contains(command), qPrintable(command));
        const std::optional<QString> own = human.nextTextLine();
        QVERIFY(own);
        QVERIFY2(isEventLine(*own) && own->endsWith(u"<guest1> hello from netcat"_s), qPrintable(*own));
    }

    // PROTOCOL.md: "On its first line the connection is registered", whatever the line is.
    void anyFirstLineJoins_data()
    {
        QTest::addColumn<QString>("firstLine");
        QTest::newRow("/help") << u"/help"_s;
        QTest::newRow("/who") << u"/who"_s;
        QTest::newRow("unknown command") << u"/dance"_s;
        QTest::newRow("/nick without a name") << u"/nick"_s;
        QTest::newRow("/msg to nobody") << u"/msg nobody hi"_s;
    }

    void anyFirstLineJoins()
    {
        QFETCH(QString, firstLine);
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        TestClient human;
        QVERIFY(human.connectToServer(m_fixture.port()));
        human.sendLine(firstLine);

        const QJsonObject joined = alice.nextFrame();
        QCOMPARE(Spec::type(joined), u"joined"_s);
        QCOMPARE(joined.value(u"nick"_s).toString(), u"guest1"_s);
        // Told the nick first, then the answer to the line.
        QVERIFY(human.nextTextLine().value().contains(u"guest1"_s));
        QVERIFY(human.waitForTextLine(containing(u"/quit"_s)));
        QVERIFY(human.nextTextLine().value().startsWith(u"* "_s));
    }

    void guestNicksAreLowestFree()
    {
        TestClient watcher;
        QVERIFY(!watcher.join(m_fixture.port(), u"watcher"_s).isEmpty());
        TestClient first, second, third;
        QVERIFY(joinAsText(first, u"one"_s));
        QVERIFY(joinAsText(second, u"two"_s));
        QCOMPARE(watcher.waitForFrame(u"message"_s).value(u"from"_s).toString(), u"guest1"_s);
        QCOMPARE(watcher.waitForFrame(u"message"_s).value(u"from"_s).toString(), u"guest2"_s);

        first.sendLine(u"/quit"_s);
        const QJsonObject left = watcher.waitForFrame(u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"guest1"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"quit"_s);
        QVERIFY(first.waitForDisconnected());

        QVERIFY(joinAsText(third, u"three"_s));
        QCOMPARE(watcher.waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"guest1"_s);
    }

    // Guest numbers skip nicks JSON users hold, in any case.
    void guestNickSkipsTakenOnes()
    {
        TestClient taken;
        QVERIFY(!taken.join(m_fixture.port(), u"Guest1"_s).isEmpty());
        TestClient human;
        QVERIFY(joinAsText(human, u"hi"_s));
        QCOMPARE(taken.waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"guest2"_s);
    }

    void commands()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        TestClient human;
        QVERIFY(joinAsText(human, u"hi"_s));
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"hi"_s);

        human.sendLine(u"/nick 민수"_s);
        QVERIFY(human.waitForTextLine(containing(u"민수"_s)).value().contains(u"guest1"_s));
        const QJsonObject renamed = alice.nextFrame();
        QCOMPARE(Spec::type(renamed), u"renamed"_s);
        QCOMPARE(renamed.value(u"from"_s).toString(), u"guest1"_s);
        QCOMPARE(renamed.value(u"to"_s).toString(), u"민수"_s);

        human.sendLine(u"/me waves"_s);
        const QJsonObject action = alice.nextFrame();
        QCOMPARE(action.value(u"text"_s).toString(), u"waves"_s);
        QCOMPARE(action.value(u"action"_s), QJsonValue(true));
        QVERIFY(human.waitForTextLine(containing(u"waves"_s)).value().contains(u"민수"_s));

        human.sendLine(u"/msg ALICE 비밀"_s);
        const QJsonObject whisper = alice.nextFrame();
        QCOMPARE(Spec::type(whisper), u"whisper"_s);
        QCOMPARE(whisper.value(u"from"_s).toString(), u"민수"_s);
        QCOMPARE(whisper.value(u"to"_s).toString(), u"alice"_s);
        QCOMPARE(whisper.value(u"text"_s).toString(), u"비밀"_s);
        QVERIFY(human.waitForTextLine(containing(u"비밀"_s)).value().contains(u"alice"_s)); // the echo

        human.sendLine(u"/who"_s);
        const QString who = human.waitForTextLine(containing(u"alice"_s)).value();
        QVERIFY2(who.startsWith(u"* "_s) && who.contains(u"민수"_s), qPrintable(who));

        human.sendLine(u"/help"_s);
        QString help;
        while (!help.contains(u"/quit"_s))
            help += human.nextTextLine().value();
        for (const QString &command : {u"/nick"_s, u"/msg"_s, u"/me"_s, u"/who"_s, u"/help"_s})
            QVERIFY2(help.contains(command), qPrintable(help));

        human.sendLine(u"/msg nobody hello"_s);
        QVERIFY(human.nextTextLine().value().startsWith(u"* error: "_s));
        human.sendLine(u"/nick bad nick!"_s);
        QVERIFY(human.nextTextLine().value().startsWith(u"* error: "_s));
        human.sendLine(u"/dance"_s);
        QVERIFY(human.nextTextLine().value().startsWith(u"* error: "_s));

        human.sendLine(u"/quit"_s);
        const QJsonObject left = alice.nextFrame();
        QCOMPARE(Spec::type(left), u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"민수"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"quit"_s);
        QVERIFY(human.waitForDisconnected());
    }

    // Text users and JSON users are one room, in both directions, in any script.
    void textAndJsonTalk()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        TestClient human;
        QVERIFY(joinAsText(human, u"안녕"_s));
        const QJsonObject fromText = alice.waitForFrame(u"message"_s);
        QCOMPARE(fromText.value(u"from"_s).toString(), u"guest1"_s);
        QCOMPARE(fromText.value(u"text"_s).toString(), u"안녕"_s);
        QVERIFY(human.nextTextLine().has_value()); // own line

        alice.sendJson(Spec::say(u"안녕하세요"_s));
        const QString line = human.nextTextLine().value();
        QVERIFY2(isEventLine(line) && line.endsWith(u"<alice> 안녕하세요"_s), qPrintable(line));

        alice.sendJson(Spec::whisper(u"guest1"_s, u"just you"_s));
        const QString whisper = human.nextTextLine().value();
        QVERIFY2(whisper.contains(u"alice"_s) && whisper.contains(u"just you"_s), qPrintable(whisper));

        alice.sendJson(Spec::say(u"line one\nline two"_s));
        const QString first = human.nextTextLine().value();
        QVERIFY2(first.endsWith(u"<alice> line one"_s), qPrintable(first));
        QVERIFY(human.nextTextLine().value().contains(u"line two"_s));

        TestClient bob;
        QVERIFY(!bob.join(m_fixture.port(), u"bob"_s).isEmpty());
        QVERIFY(human.nextTextLine().value().contains(u"bob"_s)); // "[hh:mm] * bob joined"
        bob.sendJson(Spec::bye());
        QVERIFY(human.nextTextLine().value().contains(u"bob"_s)); // "[hh:mm] * bob left (quit)"
    }

    // The tutorial's raw-socket client never sends a line ending.
    void partialLineIsTakenAfterPause()
    {
        ServerConfig config = noTimersConfig();
        config.partialLineMsecs = kQuickPartialLineMsecs;
        QVERIFY(m_fixture.start(config));
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        TestClient raw;
        QVERIFY(raw.connectToServer(m_fixture.port()));
        raw.sendRaw(u"첫 줄 without LF"_s.toUtf8());
        const QJsonObject first = alice.waitForFrame(u"message"_s);
        QCOMPARE(first.value(u"text"_s).toString(), u"첫 줄 without LF"_s);

        raw.sendRaw("second, no LF either"_ba);
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"second, no LF either"_s);
    }

    void invalidUtf8IsRefusedAndNotPassedOn()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        TestClient human;
        QVERIFY(joinAsText(human, u"hi"_s));
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"hi"_s);
        QVERIFY(human.nextTextLine().has_value()); // own line

        human.sendRaw("caf\xe9 au lait\n"_ba);
        const QString error = human.nextTextLine().value();
        QVERIFY2(error.startsWith(u"* error: "_s) && error.contains(u"UTF-8"_s), qPrintable(error));

        // alice's next message is the one after: the bad line never reached her.
        human.sendLine(u"café au lait"_s);
        QCOMPARE(alice.nextFrame().value(u"text"_s).toString(), u"café au lait"_s);
        QVERIFY(!alice.receivedInvalidUtf8());
    }

    // A bye reason is shown to everyone (`left` in JSON, a line in text mode):
    // terminal escapes in it must not reach anyone's terminal.
    void byeReasonCannotCarryControlCharacters()
    {
        TestClient human;
        QVERIFY(joinAsText(human, u"hi"_s));
        QVERIFY(human.nextTextLine().has_value()); // own line
        TestClient watcher;
        QVERIFY(!watcher.join(m_fixture.port(), u"watcher"_s).isEmpty());
        QVERIFY(human.nextTextLine().has_value()); // "* watcher joined"
        TestClient mallory;
        QVERIFY(!mallory.join(m_fixture.port(), u"mallory"_s).isEmpty());
        QCOMPARE(watcher.nextFrame().value(u"nick"_s).toString(), u"mallory"_s);
        QVERIFY(human.nextTextLine().has_value()); // "* mallory joined"

        mallory.sendJson(Spec::bye(u"\u001b[2J\u001b]0;pwned\u0007gone"_s));
        const QJsonObject left = watcher.nextFrame();
        QCOMPARE(Spec::type(left), u"left"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"quit"_s);
        const QString line = human.nextTextLine().value();
        QVERIFY2(line.contains(u"mallory"_s), qPrintable(line));
        for (const QString &shown : {left.value(u"message"_s).toString(), line}) {
            for (const QChar c : shown)
                QVERIFY2(c.category() != QChar::Other_Control, shown.toUtf8().toPercentEncoding().constData());
        }
    }

    void leadingWhitespaceBeforeJson_data()
    {
        QTest::addColumn<QByteArray>("prefix");
        QTest::newRow("spaces") << "   "_ba;
        QTest::newRow("tab") << "\t"_ba;
        QTest::newRow("CRLF") << "\r\n"_ba;
        QTest::newRow("blank lines and spaces") << "\n\n \t\r\n "_ba;
    }

    void leadingWhitespaceBeforeJson()
    {
        QFETCH(QByteArray, prefix);
        TestClient program;
        QVERIFY(program.connectToServer(m_fixture.port()));
        program.sendRaw(prefix + QJsonDocument(Spec::hello(u"bot"_s)).toJson(QJsonDocument::Compact) + '\n');
        const QJsonObject welcome = program.nextFrame();
        QCOMPARE(Spec::type(welcome), u"welcome"_s);
        QCOMPARE(welcome.value(u"nick"_s).toString(), u"bot"_s);
    }

    // Anything but `{` first is text mode, even if it looks like JSON later.
    void textModeForOtherFirstBytes()
    {
        TestClient alice;
        QVERIFY(!alice.join(m_fixture.port(), u"alice"_s).isEmpty());
        TestClient human;
        QVERIFY(human.connectToServer(m_fixture.port()));
        human.sendRaw("[{\"type\":\"hello\",\"nick\":\"x\"}]\n"_ba);
        QCOMPARE(alice.waitForFrame(u"message"_s).value(u"text"_s).toString(),
                 u"[{\"type\":\"hello\",\"nick\":\"x\"}]"_s);
    }

    void tooLongLineClosesTextConnection()
    {
        TestClient human;
        QVERIFY(joinAsText(human, u"hi"_s));
        human.sendRaw(QByteArray(70000, 'a') + '\n');
        QVERIFY(human.waitForTextLine([](const QString &line) { return line.startsWith(u"* error: "_s); }));
        QVERIFY(human.waitForDisconnected());
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerText)
#include "tst_server_text.moc"
