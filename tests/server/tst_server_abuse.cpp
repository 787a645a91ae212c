// SPDX-License-Identifier: MIT
// Abuse that costs the server connections rather than messages: sockets that
// stay silent, programs that never register, frames that trickle in a byte
// at a time, and one address opening connection after connection. People
// who type, and members who only read for hours, must never be affected.
//
// Deadlines are set short here; the tests never measure time. Where a test
// must show that something did NOT happen after a deadline, a silent
// "witness" connection opened later is used as the clock: once the server
// has closed it for its idle deadline, every deadline of the same length
// started before it has passed as well. Where a test must interleave its
// own steps with a deadline (eachHelloRestartsTheRegisterDeadline), the
// server's deadlines run on a clock the test moves (deadlineClock).
#include "chatserver.h"
#include "serverfixture.h"
#include "spec.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QTest>

#include <atomic>
#include <memory>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Short enough to keep the suite quick, long enough for a loaded machine to
// get a client's first line in before a deadline passes.
constexpr int kDeadlineMsecs = 700;

std::optional<QJsonObject> asObject(const QByteArray &line)
{
    const QJsonDocument document = QJsonDocument::fromJson(line);
    if (!document.isObject())
        return std::nullopt;
    return document.object();
}

// The last JSON object among the lines a client received.
QJsonObject lastFrame(const TestClient &client)
{
    const QList<QByteArray> &lines = client.history();
    for (qsizetype i = lines.size() - 1; i >= 0; --i) {
        if (const std::optional<QJsonObject> object = asObject(lines.at(i)))
            return *object;
    }
    return {};
}

} // namespace

class TestServerAbuse final : public QObject
{
    Q_OBJECT

private:
    // Every deadline short, the greeting early.
    static ServerConfig shortDeadlines()
    {
        ServerConfig config = TestServer::config();
        config.greetingDelayMsecs = 100;
        config.idleTimeoutMsecs = kDeadlineMsecs;
        config.registerTimeoutMsecs = kDeadlineMsecs;
        config.frameTimeoutMsecs = kDeadlineMsecs;
        return config;
    }

    // Opens a silent connection and waits until the server closes it for
    // its idle deadline (see the comment at the top of the file).
    bool idleDeadlinePassed()
    {
        TestClient witness;
        return witness.connectToServer(m_fixture.port()) && witness.waitForDisconnected();
    }

    ServerFixture m_fixture;

private slots:
    void initTestCase() { TestServer::quietLogs(); }
    void cleanup() { m_fixture.kill(); }

    // Connected, greeted, never a byte: closed, told so in JSON and in text.
    void silentConnectionIsClosed()
    {
        QVERIFY(m_fixture.start(shortDeadlines()));
        TestClient silent;
        QVERIFY(silent.connectToServer(m_fixture.port()));
        QVERIFY(silent.waitForDisconnected());

        const QList<QByteArray> &lines = silent.history();
        QVERIFY2(lines.size() >= 2, qPrintable(QString::number(lines.size())));
        QVERIFY(lines.first().startsWith("* Welcome")); // the greeting came first
        QVERIFY2(lines.last().startsWith("* error: nothing received"), lines.last().constData());
        const QJsonObject error = lastFrame(silent);
        QCOMPARE(Spec::type(error), u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), u"timeout"_s);
        QVERIFY(!error.contains(u"ref"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.server()->connectionCount(), 0, TestClient::kTimeoutMsecs);
    }

    // Blank lines decide no mode, so they do not keep a connection alive.
    void whitespaceDoesNotCountAsSpeaking()
    {
        QVERIFY(m_fixture.start(shortDeadlines()));
        TestClient blank;
        QVERIFY(blank.connectToServer(m_fixture.port()));
        blank.sendRaw("\r\n \n\t\n"_ba);
        QVERIFY(blank.waitForDisconnected());
        QCOMPARE(lastFrame(blank).value(u"code"_s).toString(), u"timeout"_s);
    }

    // A JSON client gets answers before hello, but must register in time.
    void jsonClientWithoutHelloIsClosed()
    {
        ServerConfig config = shortDeadlines();
        config.idleTimeoutMsecs = 0; // only the register deadline is at work here
        QVERIFY(m_fixture.start(config));
        TestClient observer;
        QVERIFY(!observer.join(m_fixture.port(), u"observer"_s).isEmpty());

        TestClient lurker;
        QVERIFY(lurker.connectToServer(m_fixture.port()));
        lurker.sendJson(Spec::ping(u"before hello"_s));
        QCOMPARE(lurker.waitForFrame(u"pong"_s).value(u"id"_s).toString(), u"before hello"_s);
        const QJsonObject error = lurker.waitForFrame(u"error"_s);
        QCOMPARE(error.value(u"code"_s).toString(), u"timeout"_s);
        QVERIFY2(error.value(u"message"_s).toString().contains(u"hello"_s),
                 qPrintable(error.value(u"message"_s).toString()));
        QVERIFY(!error.contains(u"ref"_s));
        QVERIFY(lurker.waitForDisconnected());
        QCOMPARE(lastFrame(lurker), error); // it was the last thing said

        // It never was a member, so the room heard nothing of it.
        observer.sendJson(Spec::ping(u"sync"_s));
        QCOMPARE(Spec::type(observer.nextFrame()), u"pong"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.server()->connectionCount(), 1, TestClient::kTimeoutMsecs);
    }

    // A person choosing another nickname after nick-taken keeps the connection:
    // each hello starts the register deadline again. The server's deadlines
    // run on a clock the test moves (ServerConfig::deadlineClock), so every
    // step is decided by the test, not by how fast this machine is.
    void eachHelloRestartsTheRegisterDeadline()
    {
        constexpr int kRegisterMsecs = 1000;
        constexpr int kPauseMsecs = 600; // between hellos: less than the deadline
        constexpr int kHellos = 5;       // together far more than one deadline
        auto now = std::make_shared<std::atomic<qint64>>(0);
        ServerConfig config = TestServer::config();
        config.deadlineClock = [now] { return now->load(); };
        config.registerTimeoutMsecs = kRegisterMsecs;
        config.idleTimeoutMsecs = kRegisterMsecs;
        config.greetingDelayMsecs = 100;
        QVERIFY(m_fixture.start(config));
        TestClient undecided;
        QVERIFY(undecided.connectToServer(m_fixture.port()));

        const auto refusedHello = [&] {
            undecided.sendJson(Spec::hello(u"not a nick!"_s));
            return undecided.waitForFrame(u"error"_s).value(u"code"_s).toString();
        };
        QCOMPARE(refusedHello(), u"nick-invalid"_s);
        for (int i = 0; i < kHellos; ++i) {
            now->fetch_add(kPauseMsecs);
            m_fixture.server()->checkDeadlines();
            // Served: the deadline moved with the hello before (the check
            // above ran before this hello, in the same worker's order).
            QCOMPARE(refusedHello(), u"nick-invalid"_s);
        }
        QVERIFY(undecided.isConnected());

        // A whole deadline after the last hello: closed, and told why.
        now->fetch_add(kRegisterMsecs);
        m_fixture.server()->checkDeadlines();
        QVERIFY(undecided.waitForDisconnected());
        QCOMPARE(lastFrame(undecided).value(u"code"_s).toString(), u"timeout"_s);
        // Every hello was answered (nick-invalid), none was lost.
        const qsizetype refusals = std::count_if(undecided.history().cbegin(), undecided.history().cend(),
                                                 [](const QByteArray &line) { return line.contains("nick-invalid"); });
        QCOMPARE(refusals, qsizetype(kHellos + 1));
    }

    // A registered member sends a frame a byte at a time, steadily, never
    // pausing long: the frame as a whole is too slow, and the member is dropped.
    void tricklingFrameIsClosed()
    {
        QVERIFY(m_fixture.start(shortDeadlines()));
        auto clients = TestClient::joinAll(m_fixture.port(), {u"trickler"_s, u"bob"_s});
        QVERIFY(!clients.empty());
        TestClient &trickler = *clients[0];

        // Far longer than the deadline at this pace: ~100 s for the whole frame.
        const QByteArray frame = "{\"type\":\"say\",\"text\":\"" + QByteArray(2000, 'z') + "\"}\n";
        qsizetype sent = 0;
        QTimer drip;
        drip.setInterval(50);
        connect(&drip, &QTimer::timeout, this, [&] {
            if (trickler.isConnected() && sent < frame.size())
                trickler.sendRaw(frame.mid(sent++, 1));
        });
        drip.start();

        const QJsonObject left = clients[1]->waitForFrame(u"left"_s);
        QCOMPARE(left.value(u"nick"_s).toString(), u"trickler"_s);
        QCOMPARE(left.value(u"reason"_s).toString(), u"timeout"_s);
        QVERIFY(trickler.waitForDisconnected());
        drip.stop();
        QVERIFY(sent < frame.size());

        const QJsonObject error = lastFrame(trickler);
        QCOMPARE(error.value(u"code"_s).toString(), u"timeout"_s);
        QVERIFY2(error.value(u"message"_s).toString().contains(u"frame"_s),
                 qPrintable(error.value(u"message"_s).toString()));
    }

    // A text-mode client that stalls inside a line (no LF, bytes still
    // coming) is dropped the same way, with a line a person can read.
    void tricklingTextLineIsClosed()
    {
        ServerConfig config = shortDeadlines();
        config.partialLineMsecs = 10 * 1000; // so that the pauses never end the line
        QVERIFY(m_fixture.start(config));
        TestClient text;
        QVERIFY(text.connectToServer(m_fixture.port()));
        text.sendLine(u"hi"_s); // registers as guest1
        QVERIFY(text.waitForTextLine([](const QString &line) { return line.startsWith(u"* You are guest1"_s); }));
        text.sendRaw("this line never ends"_ba);
        QVERIFY(text.waitForDisconnected());
        QVERIFY2(text.history().last().startsWith("* error: a line took more than"), text.history().last().constData());
    }

    // What a person with netcat does: connect, read the greeting, type. The
    // deadlines pass and they are still there.
    void netcatUserWhoTypesIsUnaffected()
    {
        QVERIFY(m_fixture.start(shortDeadlines()));
        TestClient person;
        QVERIFY(person.connectToServer(m_fixture.port()));
        QVERIFY(person.waitForTextLine([](const QString &line) { return line.startsWith(u"* Welcome"_s); }));
        person.sendRaw("hello everyone"_ba); // typed, no Enter yet: taken after the partial-line pause
        QVERIFY(person.waitForTextLine([](const QString &line) { return line.startsWith(u"* You are guest1"_s); }));

        QVERIFY(idleDeadlinePassed());
        QVERIFY(person.isConnected());
        person.sendLine(u"still here"_s);
        QVERIFY(person.waitForTextLine([](const QString &line) { return line.endsWith(u"<guest1> still here"_s); }));
    }

    // Registered members who only read are never timed out, in either mode.
    void idleMembersStay()
    {
        QVERIFY(m_fixture.start(shortDeadlines()));
        TestClient reader;
        QVERIFY(!reader.join(m_fixture.port(), u"reader"_s).isEmpty());
        TestClient textReader;
        QVERIFY(textReader.connectToServer(m_fixture.port()));
        textReader.sendLine(u"/who"_s);
        QVERIFY(textReader.waitForTextLine([](const QString &line) { return line.contains(u"users online"_s); }));
        QCOMPARE(reader.waitForFrame(u"joined"_s).value(u"nick"_s).toString(), u"guest1"_s);

        QVERIFY(idleDeadlinePassed()); // all deadlines are the same length here
        QVERIFY(reader.isConnected());
        QVERIFY(textReader.isConnected());
        TestClient talker;
        QVERIFY(!talker.join(m_fixture.port(), u"talker"_s).isEmpty());
        talker.sendJson(Spec::say(u"anyone?"_s));
        QCOMPARE(reader.waitForFrame(u"message"_s).value(u"text"_s).toString(), u"anyone?"_s);
        QVERIFY(textReader.waitForTextLine([](const QString &line) { return line.endsWith(u"<talker> anyone?"_s); }));
        // The witness of idleDeadlinePassed() is closed by then, but the
        // server counts it out when its worker's `closed` reaches the main
        // thread, which may be after the witness saw the close.
        QTRY_COMPARE(m_fixture.server()->connectionCount(), 3);
    }

    void maxPerIpRefusesAndRecovers()
    {
        ServerConfig config = TestServer::config();
        config.maxPerIp = 2;
        QVERIFY(m_fixture.start(config));
        TestClient first;
        QVERIFY(!first.join(m_fixture.port(), u"first"_s).isEmpty());
        TestClient second;
        QVERIFY(!second.join(m_fixture.port(), u"second"_s).isEmpty());

        TestClient third;
        QVERIFY(third.connectToServer(m_fixture.port()));
        QVERIFY(third.waitForDisconnected());
        const QList<QByteArray> &lines = third.history();
        QCOMPARE(lines.size(), 2);
        const QJsonObject refusal = asObject(lines.first()).value_or(QJsonObject());
        QCOMPARE(Spec::type(refusal), u"error"_s);
        QCOMPARE(refusal.value(u"code"_s).toString(), u"server-full"_s);
        QVERIFY2(refusal.value(u"message"_s).toString().contains(u"your address"_s),
                 qPrintable(refusal.value(u"message"_s).toString()));
        QVERIFY2(lines.last().startsWith("* error: too many connections from your address"), lines.last().constData());
        QCOMPARE(m_fixture.server()->connectionCount(), 2);

        // One closes: the address has room again.
        first.disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.server()->connectionCount(), 1, TestClient::kTimeoutMsecs);
        TestClient again;
        QVERIFY(!again.join(m_fixture.port(), u"again"_s).isEmpty());
        TestClient oneTooMany;
        QVERIFY(oneTooMany.connectToServer(m_fixture.port()));
        QCOMPARE(oneTooMany.waitForFrame(u"error"_s).value(u"code"_s).toString(), u"server-full"_s);
    }

    // Classrooms and containers put many people behind one address: off by default.
    void perIpLimitIsOffByDefault()
    {
        QVERIFY(m_fixture.start(TestServer::config()));
        constexpr int kClients = 40;
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            auto client = std::make_unique<TestClient>();
            QVERIFY(!client->join(m_fixture.port(), u"user%1"_s.arg(i)).isEmpty());
            clients.push_back(std::move(client));
        }
        QCOMPARE(m_fixture.server()->connectionCount(), kClients);
    }
};

QTCHAT_TEST_GUILESS_MAIN(TestServerAbuse)
#include "tst_server_abuse.moc"
