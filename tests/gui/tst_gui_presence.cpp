// SPDX-License-Identifier: MIT
// Presence in the chat window (docs/gui.md, "Presence") against a real
// server: away users dimmed in the user list with their message as the
// tooltip, /away and /back typed or from the Chat menu, and auto-away after
// idle time that input ends, unless the user chose to be away.
#include "appcontroller.h"
#include "chatclient.h"
#include "chatinput.h"
#include "chatserver.h"
#include "guisession.h"
#include "idleaway.h"
#include "mainwindow.h"
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
// Short, so the test does not wait long; the timer is the one the GUI uses.
constexpr int kIdleMsecs = 100;
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

    void idleTimeMakesAwayAndInputBringsBack()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.isOnline());
        IdleAway *idle = m_session.controller()->idleAway();
        QCOMPARE(idle->idleMsecs(), 10 * 60 * 1000); // the default: ten minutes
        idle->setIdleMsecs(kIdleMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(bob.client()->awayUsers().value(u"alice"_s), IdleAway::idleMessage(), kTimeoutMsecs);
        QVERIFY(idle->isAutomatic());

        QTest::keyClick(m_window->input(), Qt::Key_A);
        QTRY_VERIFY_WITH_TIMEOUT(!bob.client()->awayUsers().contains(u"alice"_s), kTimeoutMsecs);
        QVERIFY(!idle->isAutomatic());
    }

    void anAwayChosenByHandOutlastsInput()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.isOnline());
        IdleAway *idle = m_session.controller()->idleAway();
        ChatInput *input = m_window->input();
        QTest::keyClicks(input, u"/away lunch"_s);
        QTest::keyClick(input, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(bob.client()->awayUsers().value(u"alice"_s), u"lunch"_s, kTimeoutMsecs);

        // Idle time would add nothing (alice is away already); input comes: still away.
        QSignalSpy awayChanges(bob.client(), &ChatClient::awayUsersChanged);
        idle->setIdleMsecs(kIdleMsecs);
        QTest::keyClick(input, Qt::Key_B);
        QVERIFY(!idle->isAutomatic());
        QVERIFY(settled(bob, u"marker"_s));
        QCOMPARE(bob.client()->awayUsers().value(u"alice"_s), u"lunch"_s);
        QVERIFY(awayChanges.isEmpty());
    }
};

QTEST_MAIN(TestGuiPresence)
#include "tst_gui_presence.moc"
