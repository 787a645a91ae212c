// SPDX-License-Identifier: MIT
#include "appcontroller.h"
#include "backoff.h"
#include "chatclient.h"
#include "chatinput.h"
#include "chatserver.h"
#include "connectionstatus.h"
#include "conversationlistmodel.h"
#include "guisession.h"
#include "mainwindow.h"
#include "manualclock.h"
#include "messagelogmodel.h"
#include "participant.h"
#include "reservedport.h"
#include "testclient.h"
#include "testharness.h"
#include "testserver.h"
#include "translations.h"

#include <QLabel>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using Kind = MessageLogModel::Kind;
using State = ChatClient::State;

namespace {

constexpr int kTimeoutMsecs = 10000;
// Long enough that only "Reconnect now" or the test's clock can end the wait.
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
        QVERIFY(m_port.port() != 0);
        QVERIFY(m_session.start(serverConfig()));
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

    // The status bar counts down the client's own wait, second by second on
    // a clock the test moves; "Reconnect now" ends the wait early.
    void countdownAndReconnectNowAfterServerRestart()
    {
        ChatClient *client = m_session.controller()->client();
        MainWindow *window = m_session.controller()->window();
        ConnectionStatus *status = window->connectionStatus();
        auto *clock = new ManualClock(client);
        client->setClock(clock);
        client->setBackoff(Backoff(kLongBackoffMsecs, kLongBackoffMsecs, 0));

        QTest::keyClicks(window->input(), u"keep me"_s);
        QSignalSpy scheduled(client, &ChatClient::reconnectScheduled);
        m_session.stopServer(); // the server goes away
        QVERIFY(scheduled.wait(kTimeoutMsecs));
        QCOMPARE(scheduled.first().first().toInt(), kLongBackoffMsecs);
        QCOMPARE(client->state(), State::Reconnecting);
        QVERIFY(status->reconnectButton()->isVisible());
        QVERIFY(window->windowTitle().contains(u"offline"_s));
        QCOMPARE(status->text(), u"Connection lost. Reconnecting in 60 seconds…"_s);

        // Whole seconds, rounded up: 60 until a full second has passed.
        clock->advance(999);
        QCOMPARE(status->text(), u"Connection lost. Reconnecting in 60 seconds…"_s);
        clock->advance(1);
        QCOMPARE(status->text(), u"Connection lost. Reconnecting in 59 seconds…"_s);
        clock->advance(1000);
        QCOMPARE(status->text(), u"Connection lost. Reconnecting in 58 seconds…"_s);
        clock->advance(57000);
        QCOMPARE(status->text(), u"Connection lost. Reconnecting in 1 second…"_s);
        QCOMPARE(client->state(), State::Reconnecting); // not a moment early

        // Typing while offline: the message waits in the outbox, and the status says so.
        QTest::keyClick(window->input(), Qt::Key_Return);
        QVERIFY(window->input()->text().isEmpty());
        QCOMPARE(status->text(), u"Connection lost. Reconnecting in 1 second…  (1 message waiting to be sent)"_s);
        QVERIFY(window->inputHint()->isVisible());
        QVERIFY2(window->inputHint()->text().startsWith(u"Not connected"_s), qPrintable(window->inputHint()->text()));
        QTest::keyClicks(window->input(), u"second draft"_s);

        QVERIFY(m_session.startServer(serverConfig()));
        QSignalSpy registered(client, &ChatClient::registered);
        QTest::mouseClick(status->reconnectButton(), Qt::LeftButton);
        QVERIFY(registered.wait(kTimeoutMsecs));
        QCOMPARE(client->state(), State::Online);
        QVERIFY(!status->reconnectButton()->isVisible());
        QVERIFY2(status->text().startsWith(u"Connected"_s), qPrintable(status->text()));
        QCOMPARE(window->input()->text(), u"second draft"_s);

        // The queued message went out after the reconnect, and came back as ours.
        QTRY_COMPARE_WITH_TIMEOUT(lastMessageText(), u"keep me"_s, kTimeoutMsecs);
        // ... so the hint that it was waiting is gone.
        QTRY_VERIFY_WITH_TIMEOUT(!window->inputHint()->isVisible(), kTimeoutMsecs);
    }

    // When the countdown reaches zero the client tries again by itself: not
    // before (the clock stands still), and at once when it does.
    void countdownEndsInAReconnect()
    {
        ChatClient *client = m_session.controller()->client();
        ConnectionStatus *status = m_session.controller()->window()->connectionStatus();
        auto *clock = new ManualClock(client);
        client->setClock(clock);
        client->setBackoff(Backoff(kLongBackoffMsecs, kLongBackoffMsecs, 0));

        QSignalSpy scheduled(client, &ChatClient::reconnectScheduled);
        m_session.stopServer();
        QVERIFY(scheduled.wait(kTimeoutMsecs));
        QVERIFY(m_session.startServer(serverConfig()));
        clock->advance(kLongBackoffMsecs - 1);
        QCOMPARE(client->state(), State::Reconnecting);
        QCOMPARE(status->text(), u"Connection lost. Reconnecting in 1 second…"_s);

        QSignalSpy registered(client, &ChatClient::registered);
        clock->advance(1);
        QVERIFY(client->state() == State::Connecting || client->state() == State::Registering);
        QVERIFY(registered.wait(kTimeoutMsecs));
        QCOMPARE(client->state(), State::Online);
        QVERIFY2(status->text().startsWith(u"Connected"_s), qPrintable(status->text()));
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

    // What a resume brings for a conversation not shown was missed while
    // away: it counts as unread (a mention marked) as if it had come live;
    // what the window showed before counts nothing.
    void missedWhileAwayCountsAsUnread()
    {
        ChatClient *client = m_session.controller()->client();
        ConversationListModel *rooms = m_session.controller()->conversations();
        client->setBackoff(Backoff(kLongBackoffMsecs, kLongBackoffMsecs, 0));
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.isOnline());
        QVERIFY(bob.join(u"#dev"_s));
        QVERIFY(bob.sayIn(u"#dev"_s, u"seen before"_s));
        QSignalSpy entered(client, &ChatClient::roomEntered);
        QVERIFY(client->joinRoom(u"#dev"_s).isEmpty());
        QVERIFY(client->joinRoom(u"#ops"_s).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(entered.size(), 2, kTimeoutMsecs);
        rooms->setCurrent(rooms->indexOf(u"#ops"_s));
        const int dev = rooms->indexOf(u"#dev"_s);
        QCOMPARE(rooms->unread(dev), 0);
        QCOMPARE(rooms->unread(0), 0);

        loseConnection();
        if (QTest::currentTestFailed())
            return;
        QVERIFY(bob.sayIn(u"#dev"_s, u"alice, are you there?"_s));
        QVERIFY(bob.say(u"lobby news"_s));

        QSignalSpy reentered(client, &ChatClient::roomEntered);
        client->setBackoff(Backoff(kShortBackoffMsecs, kShortBackoffMsecs, 0));
        client->reconnectNow();
        QTRY_COMPARE_WITH_TIMEOUT(reentered.size(), 2, kTimeoutMsecs);
        QCOMPARE(rooms->unread(dev), 1);
        QVERIFY(rooms->isMentioned(dev));
        QCOMPARE(rooms->unread(0), 1);
        QVERIFY(!rooms->isMentioned(0));
        QCOMPARE(rooms->unread(rooms->indexOf(u"#ops"_s)), 0);
    }

private:
    // Every (re)start of the server uses the test's reserved port.
    ServerConfig serverConfig() const
    {
        ServerConfig config = TestServer::config();
        config.port = m_port.port();
        config.rate = 0; // a participant posts in bursts
        return config;
    }

    QString lastMessageText() const
    {
        const QList<qint64> ids = messageIds();
        const MessageLogModel *log = m_session.controller()->log();
        return ids.isEmpty() ? QString() : log->entry(log->rowForId(ids.last())).text;
    }

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

    ReservedPort m_port{ReservedPort::Use::Shared};
    GuiSession m_session;
};

QTCHAT_TEST_MAIN(TestReconnect)
#include "tst_gui_reconnect.moc"
