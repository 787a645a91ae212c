// SPDX-License-Identifier: MIT
// Presence in the chat window (docs/gui.md, "Presence") against a real
// server: away users dimmed in the user list with their message as the
// tooltip, /away and /back typed or from the Chat menu, the own away in the
// status bar, a whisper to an away user, and auto-away after idle time (on
// a clock the test moves) that input ends, unless the user chose to be away.
#include "appcontroller.h"
#include "chatclient.h"
#include "chatinput.h"
#include "chatserver.h"
#include "connectionstatus.h"
#include "conversationlistmodel.h"
#include "guisession.h"
#include "idleaway.h"
#include "logrows.h"
#include "mainwindow.h"
#include "manualclock.h"
#include "messagelogmodel.h"
#include "participant.h"
#include "testharness.h"
#include "testserver.h"
#include "translations.h"
#include "userdelegate.h"
#include "userlistmodel.h"
#include "userlistpanel.h"

#include <QAction>
#include <QApplication>
#include <QListView>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Protocol;

namespace {
constexpr int kTimeoutMsecs = 8000;
// The default idle time, which the tests keep: they move the clock instead.
constexpr int kTenMinutes = 10 * 60 * 1000;
} // namespace

class TestGuiPresence final : public QObject
{
    Q_OBJECT

private:
    // Alice says `marker` and bob gets it: what alice's client sent before
    // (one connection, one order) has reached bob by then.
    bool settled(Participant &bob, const QString &marker)
    {
        QSignalSpy received(bob.client(), &ChatClient::messageReceived);
        m_session.controller()->client()->say(marker);
        return QTest::qWaitFor(
            [&received, &marker] {
                for (const QList<QVariant> &args : received) {
                    if (args.first().value<ChatMessage>().text == marker)
                        return true;
                }
                return false;
            },
            kTimeoutMsecs);
    }

    GuiSession m_session;
    MainWindow *m_window = nullptr;

private slots:
    void initTestCase()
    {
        TestServer::quietLogs();
        QCOMPARE(Translations::install(qApp, u"en"_s), u"en_US"_s);
    }

    void init()
    {
        QVERIFY(m_session.start(TestServer::config()));
        m_window = m_session.window();
    }

    void cleanup()
    {
        m_window = nullptr;
        m_session.stop();
    }

    void awayUsersAreDimmedWithTheirMessageAsTooltip()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.isOnline());
        UserListModel *users = m_session.controller()->users();
        QTRY_COMPARE_WITH_TIMEOUT(users->count(), 2, kTimeoutMsecs);
        QListView *view = m_window->userPanel()->listView();
        auto *delegate = qobject_cast<UserDelegate *>(view->itemDelegate());
        QVERIFY(delegate);
        const auto styleOf = [view, delegate](const QModelIndex &index) {
            QStyleOptionViewItem option;
            option.initFrom(view);
            delegate->initStyleOption(&option, index);
            return option;
        };
        const QModelIndex bobRow = users->index(users->indexOf(u"bob"_s));
        const QStyleOptionViewItem before = styleOf(bobRow);
        QVERIFY(!before.font.italic());

        QVERIFY(bob.client()->setAway(u"lunch"_s).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(bobRow.data(UserListModel::IsAwayRole).toBool(), kTimeoutMsecs);
        QCOMPARE(bobRow.data(Qt::ToolTipRole).toString(), u"bob is away: lunch"_s);
        QCOMPARE(bobRow.data(Qt::AccessibleTextRole).toString(), u"bob, away: lunch"_s);
        const QStyleOptionViewItem away = styleOf(bobRow);
        QVERIFY(away.font.italic());
        QVERIFY(away.palette.color(QPalette::Text).alphaF() < before.palette.color(QPalette::Text).alphaF());
        // Not a log row: the list says it (docs/gui.md).
        const QModelIndex aliceRow = users->index(users->indexOf(u"alice"_s));
        QVERIFY(!aliceRow.data(UserListModel::IsAwayRole).toBool());

        QVERIFY(bob.client()->setBack().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!bobRow.data(UserListModel::IsAwayRole).toBool(), kTimeoutMsecs);
        QVERIFY(!styleOf(bobRow).font.italic());
    }

    void awayTypedOrFromTheMenu()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.isOnline());
        ChatClient *alice = m_session.controller()->client();
        auto *menuAway = m_window->findChild<QAction *>(u"awayAction"_s);
        QVERIFY(menuAway);
        QVERIFY(!menuAway->isChecked());

        ChatInput *input = m_window->input();
        QTest::keyClicks(input, u"/away in a meeting"_s);
        QTest::keyClick(input, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(bob.client()->awayUsers().value(u"alice"_s), u"in a meeting"_s, kTimeoutMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(menuAway->isChecked(), kTimeoutMsecs);
        QVERIFY(input->toPlainText().isEmpty());

        // The menu's action says back, and does not touch a half-typed line.
        QTest::keyClicks(input, u"draft"_s);
        menuAway->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!bob.client()->awayUsers().contains(u"alice"_s), kTimeoutMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(!alice->isAway(), kTimeoutMsecs);
        QVERIFY(!menuAway->isChecked());
        QCOMPARE(input->toPlainText(), u"draft"_s);
        menuAway->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(bob.client()->awayUsers().value(u"alice"_s, u"(not away)"_s), QString(),
                                  kTimeoutMsecs);
    }

    void ownAwayInTheStatusBar()
    {
        ConnectionStatus *status = m_window->connectionStatus();
        ChatClient *alice = m_session.controller()->client();
        QVERIFY(status->awayText().isEmpty());
        QVERIFY(alice->setAway(u"lunch"_s).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(status->awayText(), u"Away: lunch"_s, kTimeoutMsecs);
        // A long message is cut short; the tooltip has all of it.
        const QString longMessage = QString(60, u'x');
        QVERIFY(alice->setAway(longMessage).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(status->awayText().endsWith(u'\u2026'), kTimeoutMsecs);
        QVERIFY(status->awayText().size() < longMessage.size());
        QVERIFY(alice->setBack().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(status->awayText().isEmpty(), kTimeoutMsecs);
    }

    // The notice goes under the whisper, in the direct conversation.
    void aWhisperToAnAwayUserSaysSo()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.isOnline());
        QVERIFY(bob.client()->setAway(u"lunch"_s).isEmpty());
        UserListModel *users = m_session.controller()->users();
        QTRY_VERIFY_WITH_TIMEOUT(users->awayMessage(u"bob"_s).has_value(), kTimeoutMsecs);

        ChatInput *input = m_window->input();
        QTest::keyClicks(input, u"/msg bob are you there?"_s);
        QTest::keyClick(input, Qt::Key_Return);
        ConversationListModel *conversations = m_session.controller()->conversations();
        QTRY_VERIFY_WITH_TIMEOUT(conversations->indexOf(u"bob"_s) > 0, kTimeoutMsecs);
        MessageLogModel *direct = conversations->log(conversations->indexOf(u"bob"_s));
        QTRY_VERIFY_WITH_TIMEOUT(LogRows::lastOfKind(*direct, MessageLogModel::Kind::Notice), kTimeoutMsecs);
        QCOMPARE(LogRows::lastOfKind(*direct, MessageLogModel::Kind::Notice)->text, u"bob is away: lunch"_s);
        QCOMPARE(direct->entry(direct->rowCount() - 2).text, u"are you there?"_s);
    }

    void idleTimeMakesAwayAndInputBringsBack()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.isOnline());
        IdleAway *idle = m_session.controller()->idleAway();
        QCOMPARE(idle->idleMsecs(), kTenMinutes); // the default
        ManualClock clock;
        idle->setClock(&clock);

        clock.advance(kTenMinutes - 1);
        QVERIFY(settled(bob, u"not yet"_s));
        QVERIFY(!bob.client()->awayUsers().contains(u"alice"_s));
        clock.advance(1);
        QTRY_COMPARE_WITH_TIMEOUT(bob.client()->awayUsers().value(u"alice"_s), IdleAway::idleMessage(), kTimeoutMsecs);
        QVERIFY(idle->isAutomatic());
        QTRY_COMPARE_WITH_TIMEOUT(m_window->connectionStatus()->awayText(), u"Away: Idle"_s, kTimeoutMsecs);

        QTest::keyClick(m_window->input(), Qt::Key_A);
        QVERIFY(!idle->isAutomatic());
        QTRY_VERIFY_WITH_TIMEOUT(!bob.client()->awayUsers().contains(u"alice"_s), kTimeoutMsecs);
        QTRY_VERIFY_WITH_TIMEOUT(!m_session.controller()->client()->isAway(), kTimeoutMsecs);

        // The idle time counts again from that key.
        clock.advance(kTenMinutes);
        QTRY_COMPARE_WITH_TIMEOUT(bob.client()->awayUsers().value(u"alice"_s), IdleAway::idleMessage(), kTimeoutMsecs);
    }

    // Input that comes before the server confirmed the automatic away still
    // ends it: back follows away on the same connection.
    void inputRightAfterGoingAwayBringsBack()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.isOnline());
        IdleAway *idle = m_session.controller()->idleAway();
        ManualClock clock;
        idle->setClock(&clock);
        clock.advance(kTenMinutes);
        QVERIFY(idle->isAutomatic());
        QTest::mouseClick(m_window->input(), Qt::LeftButton);
        QVERIFY(settled(bob, u"marker"_s));
        QVERIFY(!bob.client()->awayUsers().contains(u"alice"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!m_session.controller()->client()->isAway(), kTimeoutMsecs);
    }

    void zeroTurnsAutoAwayOff()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.isOnline());
        IdleAway *idle = m_session.controller()->idleAway();
        ManualClock clock;
        idle->setClock(&clock);
        idle->setIdleMsecs(0);
        clock.advance(24 * 60 * 60 * 1000);
        QVERIFY(settled(bob, u"marker"_s));
        QVERIFY(bob.client()->awayUsers().isEmpty());
        QVERIFY(!idle->isAutomatic());
    }

    void anAwayChosenByHandOutlastsInput()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.isOnline());
        IdleAway *idle = m_session.controller()->idleAway();
        ManualClock clock;
        idle->setClock(&clock);
        ChatInput *input = m_window->input();
        QTest::keyClicks(input, u"/away lunch"_s);
        QTest::keyClick(input, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(bob.client()->awayUsers().value(u"alice"_s), u"lunch"_s, kTimeoutMsecs);

        // Idle time adds nothing (alice is away already); input comes: still away.
        QSignalSpy awayChanges(bob.client(), &ChatClient::awayUsersChanged);
        clock.advance(kTenMinutes);
        QVERIFY(!idle->isAutomatic());
        QTest::keyClick(input, Qt::Key_B);
        QVERIFY(settled(bob, u"marker"_s));
        QCOMPARE(bob.client()->awayUsers().value(u"alice"_s), u"lunch"_s);
        QVERIFY(awayChanges.isEmpty());
        QVERIFY(m_session.controller()->client()->isAway());
    }
};

QTEST_MAIN(TestGuiPresence)
#include "tst_gui_presence.moc"
