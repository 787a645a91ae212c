// SPDX-License-Identifier: MIT
#include "testharness.h"
#include "appcontroller.h"
#include "backoff.h"
#include "chatclient.h"
#include "chatinput.h"
#include "chatserver.h"
#include "connectionstatus.h"
#include "guisession.h"
#include "mainwindow.h"
#include "messagelogmodel.h"
#include "participant.h"
#include "testclient.h"
#include "testserver.h"
#include "translations.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using Kind = MessageLogModel::Kind;
using State = ChatClient::State;

namespace {

constexpr int kTimeoutMsecs = 10000;
// Long enough that only "Reconnect now" can bring the client back in time.
constexpr int kLongBackoffMsecs = 60000;
constexpr int kShortBackoffMsecs = 50;
// So short that the client declares the (silent) server dead at once.
constexpr int kTinyIdleMsecs = 150;
constexpr int kNormalIdleMsecs = 60000;

} // namespace

// Losing the connection: the countdown and "Reconnect now", the draft that
// stays in the message box, and the history of the re-join merged without
// duplicates.
class TestReconnect final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        TestServer::quietLogs();
        Translations::install(qApp, u"en"_s);
    }

    void init()
    {
        ServerConfig config = TestServer::config();
        config.rate = 0; // a participant posts in bursts
        QVERIFY(m_session.start(config));
    }

    void cleanup() { m_session.stop(); }

    void draftIsKeptAndHistoryMergesWithoutDuplicates()
    {
        ChatClient *client = m_session.controller()->client();
        MessageLogModel *log = m_session.controller()->log();
        MainWindow *window = m_session.controller()->window();
        client->setBackoff(Backoff(kLongBackoffMsecs, kLongBackoffMsecs, 0));

        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.say(u"one"_s));
        QVERIFY(bob.say(u"two"_s));
        QTRY_COMPARE_WITH_TIMEOUT(messageIds().size(), 2, kTimeoutMsecs);

        QTest::keyClicks(window->input(), u"an unsent draft"_s);

        QSignalSpy registered(client, &ChatClient::registered);
        loseConnection();
        if (QTest::currentTestFailed())
            return;
        // Said while alice is away: it comes back with the history of the re-join.
        QVERIFY(bob.say(u"three"_s));
        // The server may not have noticed the old connection is gone yet
        // ("nick still in use"): then the client schedules another attempt.
        client->setBackoff(Backoff(kShortBackoffMsecs, kShortBackoffMsecs, 0));
        client->reconnectNow();

        QVERIFY(registered.wait(kTimeoutMsecs));
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), State::Online, kTimeoutMsecs);

        QCOMPARE(window->input()->text(), u"an unsent draft"_s);
        const QList<qint64> ids = messageIds();
        QCOMPARE(QSet<qint64>(ids.cbegin(), ids.cend()).size(), ids.size()); // no duplicates
        QCOMPARE(ids.size(), 3);
        QCOMPARE(log->entry(log->rowForId(ids.last())).text, u"three"_s);
        bool noticed = false;
        for (int row = 0; row < log->rowCount(); ++row)
            noticed = noticed || log->entry(row).text.startsWith(u"Reconnected as alice"_s);
        QVERIFY(noticed);
    }

    void countdownAndReconnectNowAfterServerRestart()
    {
        ChatClient *client = m_session.controller()->client();
        MainWindow *window = m_session.controller()->window();
        ConnectionStatus *status = window->connectionStatus();
        client->setBackoff(Backoff(kLongBackoffMsecs, kLongBackoffMsecs, 0));
        const quint16 port = m_session.server()->serverPort();

        QTest::keyClicks(window->input(), u"keep me"_s);
        QSignalSpy scheduled(client, &ChatClient::reconnectScheduled);
        m_session.stopServer(); // the server goes away
        QVERIFY(scheduled.wait(kTimeoutMsecs));
        QCOMPARE(client->state(), State::Reconnecting);
        QVERIFY2(status->text().contains(u"Reconnecting in 60 seconds"_s), qPrintable(status->text()));
        QVERIFY(status->reconnectButton()->isVisible());
        QVERIFY(window->windowTitle().contains(u"offline"_s));
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"Reconnecting in 59 seconds"_s), 3000); // it counts down

        // Typing while offline: the message waits in the outbox, and the status says so.
        QTest::keyClick(window->input(), Qt::Key_Return);
        QVERIFY(window->input()->text().isEmpty());
        QTRY_VERIFY2(status->text().contains(u"1 message waiting"_s), qPrintable(status->text()));
        QTest::keyClicks(window->input(), u"second draft"_s);

        ServerConfig config = TestServer::config();
        config.port = port;
        QVERIFY(m_session.startServer(config));

        QSignalSpy registered(client, &ChatClient::registered);
        QTest::mouseClick(status->reconnectButton(), Qt::LeftButton);
        QVERIFY(registered.wait(kTimeoutMsecs));
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), State::Online, kTimeoutMsecs);
        QVERIFY(!status->reconnectButton()->isVisible());
        QVERIFY(status->text().startsWith(u"Connected"_s));
        QCOMPARE(window->input()->text(), u"second draft"_s);

        // The queued message went out after the reconnect.
        const MessageLogModel *log = m_session.controller()->log();
        QTRY_VERIFY_WITH_TIMEOUT(!messageIds().isEmpty(), kTimeoutMsecs);
        QCOMPARE(log->entry(log->rowForId(messageIds().last())).text, u"keep me"_s);
    }

    // More was said while away than a resume brings back: the log says the
    // oldest of it is missing, rather than silently skipping it.
    void missedMoreThanAResumeBringsIsSaid()
    {
        ChatClient *client = m_session.controller()->client();
        MessageLogModel *log = m_session.controller()->log();
        client->setBackoff(Backoff(kLongBackoffMsecs, kLongBackoffMsecs, 0));
        TestClient bob;
        QVERIFY(!bob.join(m_session.server()->serverPort(), u"bob"_s).isEmpty());
        bob.sendLine(u"{\"type\":\"say\",\"text\":\"before\"}"_s);
        QTRY_COMPARE_WITH_TIMEOUT(messageIds().size(), 1, kTimeoutMsecs);

        loseConnection();
        if (QTest::currentTestFailed())
            return;
        QByteArray burst;
        for (int i = 0; i <= Protocol::kMaxResumeMessages; ++i)
            burst += u"{\"type\":\"say\",\"text\":\"missed %1\"}\n"_s.arg(i).toUtf8();
        bob.sendRaw(burst);
        const QString last = u"\"missed %1\""_s.arg(Protocol::kMaxResumeMessages);
        QVERIFY(bob.waitForTextLine([&last](const QString &line) { return line.contains(last); }, kTimeoutMsecs));

        client->setBackoff(Backoff(kShortBackoffMsecs, kShortBackoffMsecs, 0));
        QSignalSpy registered(client, &ChatClient::registered);
        client->reconnectNow();
        QVERIFY(registered.wait(kTimeoutMsecs));
        QVERIFY(registered.last().at(0).value<Protocol::Welcome>().truncated);
        QCOMPARE(messageIds().size(), 1 + Protocol::kMaxResumeMessages);
        QCOMPARE(log->entry(log->rowForId(messageIds().last())).text, u"missed %1"_s.arg(Protocol::kMaxResumeMessages));
        bool noticed = false;
        for (int row = 0; row < log->rowCount(); ++row)
            noticed = noticed || log->entry(row).text.contains(u"the oldest of them are not shown"_s);
        QVERIFY(noticed);
    }

private:
    // The client gives up on a server that has been silent too long and
    // waits to reconnect (the backoff the test set).
    void loseConnection()
    {
        ChatClient *client = m_session.controller()->client();
        QSignalSpy states(client, &ChatClient::stateChanged);
        client->setPingInterval(kNormalIdleMsecs);
        client->setIdleTimeout(kTinyIdleMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(states.contains(QVariantList{QVariant::fromValue(State::Reconnecting)}),
                                 kTimeoutMsecs);
        client->setIdleTimeout(kNormalIdleMsecs);
    }

    QList<qint64> messageIds() const
    {
        QList<qint64> ids;
        const MessageLogModel *log = m_session.controller()->log();
        for (int row = 0; row < log->rowCount(); ++row) {
            if (log->entry(row).id > 0)
                ids.append(log->entry(row).id);
        }
        return ids;
    }

    GuiSession m_session;
};

QTCHAT_TEST_MAIN(TestReconnect)
#include "tst_gui_reconnect.moc"
