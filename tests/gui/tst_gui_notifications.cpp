// SPDX-License-Identifier: MIT
#include "appcontroller.h"
#include "chatclient.h"
#include "chatinput.h"
#include "chatserver.h"
#include "conversationlistmodel.h"
#include "fakenotifier.h"
#include "guisession.h"
#include "mainwindow.h"
#include "messagelogmodel.h"
#include "messageview.h"
#include "notificationlevelmenu.h"
#include "notificationpolicy.h"
#include "notificationsettings.h"
#include "participant.h"
#include "roomsidebar.h"
#include "testharness.h"
#include "testserver.h"
#include "translations.h"
#include "traynotifier.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeoutMsecs = 8000;

bool hasText(const MessageLogModel *log, const QString &text)
{
    for (int row = 0; log && row < log->rowCount(); ++row) {
        if (log->entry(row).text == text)
            return true;
    }
    return false;
}

QAction *actionNamed(const QMenu *menu, const QString &text)
{
    const QList<QAction *> actions = menu->actions();
    for (QAction *action : actions) {
        if (action->text() == text)
            return action;
    }
    return nullptr;
}

} // namespace

// Desktop notifications (issue #17) against a real server: what notifies
// while the window is in the background, levels per conversation,
// Do-not-disturb, clicking a notification, the unread count in the title,
// closing to the tray, and a desktop without a tray (offscreen has none).
// A FakeNotifier records what would be shown, and whether the window is
// active is the test's to say (offscreen activation is unreliable).
class TestGuiNotifications final : public QObject
{
    Q_OBJECT

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
        m_fake = std::make_unique<FakeNotifier>();
        m_active = false;
        policy()->setNotifier(m_fake.get());
        policy()->setWindowActive([this] { return m_active; });
    }

    void cleanup()
    {
        m_window = nullptr;
        m_menu.reset();
        m_session.stop();
        m_fake.reset();
    }

    void aMentionInTheBackgroundNotifies()
    {
        Participant bob(port(), u"bob"_s);
        QVERIFY(bob.say(u"alice, are you there?"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->shown().size(), 1, kTimeoutMsecs);
        const FakeNotifier::Shown &shown = m_fake->shown().constFirst();
        QCOMPARE(shown.title, u"bob in #lobby"_s);
        QCOMPARE(shown.body, u"alice, are you there?"_s);
        QCOMPARE(shown.conversation, u"#lobby"_s);
        QCOMPARE(m_fake->alerts(), 1);
    }

    void aMentionInTheForegroundDoesNot()
    {
        m_active = true;
        Participant bob(port(), u"bob"_s);
        QVERIFY(bob.say(u"alice: look at this"_s));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(lobbyLog(), u"alice: look at this"_s), kTimeoutMsecs);
        // What notifies next shows that nothing came before it.
        m_active = false;
        expectOnlyTheMarker(bob);
    }

    void doNotDisturbSilencesEverything()
    {
        // The Chat menu's entry and the tray's are the same action.
        QAction *dnd = settings()->doNotDisturbAction();
        QVERIFY(m_window->menuBar()->actions().constFirst()->menu()->actions().contains(dnd));
        QVERIFY(m_session.controller()->trayNotifier()->menu()->actions().contains(dnd));
        dnd->trigger();
        QVERIFY(settings()->doNotDisturb());

        Participant bob(port(), u"bob"_s);
        QVERIFY(bob.say(u"alice: urgent!"_s));
        QVERIFY(bob.whisper(u"alice"_s, u"psst"_s));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(logOf(u"bob"_s), u"psst"_s), kTimeoutMsecs);

        // Remembered for the next start.
        QVERIFY(m_session.settings()->value(u"notifications/doNotDisturb"_s).toBool());
        const NotificationSettings again(client(), m_session.settings());
        QVERIFY(again.doNotDisturb());
        QVERIFY(again.doNotDisturbAction()->isChecked());

        dnd->trigger();
        QVERIFY(!settings()->doNotDisturb());
        expectOnlyTheMarker(bob);
    }

    void nothingSilencesAConversation()
    {
        Participant bob(port(), u"bob"_s);
        std::unique_ptr<QMenu> menu = m_window->sidebar()->contextMenu(0);
        auto *levels = menu->findChild<NotificationLevelMenu *>();
        QVERIFY(levels);
        QVERIFY(levels->actionFor(NotificationLevel::MentionsOnly)->isChecked()); // a room's default
        levels->actionFor(NotificationLevel::Nothing)->trigger();
        QCOMPARE(settings()->level(u"#lobby"_s), NotificationLevel::Nothing);
        QVERIFY(levelAction(0, NotificationLevel::Nothing)->isChecked()); // the menu shows the choice

        QVERIFY(bob.say(u"alice: hello?"_s));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(lobbyLog(), u"alice: hello?"_s), kTimeoutMsecs);
        expectOnlyTheMarker(bob);
    }

    void aWhisperInTheBackgroundNotifies()
    {
        QCOMPARE(settings()->level(u"bob"_s), NotificationLevel::AllMessages); // a direct conversation's default
        Participant bob(port(), u"bob"_s);
        QVERIFY(bob.whisper(u"alice"_s, u"are you free later?"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->shown().size(), 1, kTimeoutMsecs);
        const FakeNotifier::Shown &shown = m_fake->shown().constFirst();
        QCOMPARE(shown.title, u"bob whispers"_s);
        QCOMPARE(shown.body, u"are you free later?"_s);
        QCOMPARE(shown.conversation, u"bob"_s);
    }

    void aRoomOnAllMessagesNotifiesOfPlainMessages()
    {
        Participant bob(port(), u"bob"_s);
        QVERIFY(bob.join(u"#dev"_s));
        QVERIFY(bob.join(u"#ops"_s));
        send(u"/join #dev"_s);
        QTRY_COMPARE_WITH_TIMEOUT(conversations()->currentName(), u"#dev"_s, kTimeoutMsecs);
        send(u"/join #ops"_s);
        QTRY_COMPARE_WITH_TIMEOUT(conversations()->currentName(), u"#ops"_s, kTimeoutMsecs);

        const int dev = conversations()->indexOf(u"#dev"_s);
        levelAction(dev, NotificationLevel::AllMessages)->trigger();
        const QString key = u"notifications/127.0.0.1_%1/#dev"_s.arg(port());
        QCOMPARE(m_session.settings()->value(key).toString(), u"all"_s);

        // #ops keeps "Mentions only": a plain line there is counted, not notified.
        QVERIFY(bob.sayIn(u"#ops"_s, u"plain in ops"_s));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(logOf(u"#ops"_s), u"plain in ops"_s), kTimeoutMsecs);
        QVERIFY(bob.sayIn(u"#dev"_s, u"plain in dev"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->shown().size(), 1, kTimeoutMsecs);
        const FakeNotifier::Shown &shown = m_fake->shown().constFirst();
        QCOMPARE(shown.title, u"bob in #dev"_s);
        QCOMPARE(shown.body, u"plain in dev"_s);
        QCOMPARE(shown.conversation, u"#dev"_s);
    }

    void clickingANotificationOpensItsConversation()
    {
        Participant bob(port(), u"bob"_s);
        QVERIFY(bob.whisper(u"alice"_s, u"look at this"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->shown().size(), 1, kTimeoutMsecs);
        QCOMPARE(conversations()->currentName(), u"#lobby"_s);

        m_window->hide(); // as if closed to the tray
        m_fake->click(0);
        QVERIFY(m_window->isVisible());
        QCOMPARE(conversations()->currentName(), u"bob"_s);
        QCOMPARE(m_window->messageView()->logModel(), logOf(u"bob"_s));
        QVERIFY(hasText(m_window->messageView()->logModel(), u"look at this"_s));
    }

    void theTitleCountsUnreadMessages()
    {
        // The window's own count follows real activation, as in tst_gui_chatwindow.
        QWidget other;
        other.show();
        other.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&other));
        QVERIFY(!m_window->isActiveWindow());
        QSignalSpy counted(m_window, &MainWindow::unreadCountChanged);

        Participant bob(port(), u"bob"_s);
        QVERIFY(bob.say(u"one"_s));
        QVERIFY(bob.say(u"two"_s));
        QVERIFY(bob.say(u"three"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->unreadCount(), 3, kTimeoutMsecs);
        QCOMPARE(m_window->windowTitle(), u"(3) alice @ 127.0.0.1 — qtchat"_s);
        QCOMPARE(counted.constLast().constFirst().toInt(), 3);
        // What the tray says with it.
        QCOMPARE(TrayNotifier::toolTipText(3, false), u"qtchat\n3 unread messages"_s);
        QCOMPARE(TrayNotifier::toolTipText(1, true), u"qtchat\n1 unread message\nDo not disturb"_s);
        QCOMPARE(TrayNotifier::toolTipText(0, false), u"qtchat"_s);

        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        QTRY_COMPARE(m_window->unreadCount(), 0);
        QCOMPARE(m_window->windowTitle(), u"alice @ 127.0.0.1 — qtchat"_s);
        QCOMPARE(counted.constLast().constFirst().toInt(), 0);
    }

    void withoutATrayTheTaskbarIsAlerted()
    {
        // Offscreen there is no tray, as on Xvfb or a desktop without one.
        TrayNotifier *tray = m_session.controller()->trayNotifier();
        QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable());
        QVERIFY(!tray->hasTray());
        QVERIFY(!tray->canShow());
        QVERIFY(!m_window->hidesOnClose()); // closing the window quits, as before

        FakeNotifier noTray(false);
        policy()->setNotifier(&noTray);
        Participant bob(port(), u"bob"_s);
        QVERIFY(bob.say(u"alice?"_s));
        QTRY_COMPARE_WITH_TIMEOUT(noTray.alerts(), 1, kTimeoutMsecs);
        QVERIFY(noTray.shown().isEmpty());

        // The real one without a tray: the taskbar alert, and everything else quietly does nothing.
        policy()->setNotifier(tray);
        QVERIFY(bob.whisper(u"alice"_s, u"still there?"_s));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(logOf(u"bob"_s), u"still there?"_s), kTimeoutMsecs);
        tray->show(u"title"_s, u"body"_s, u"#lobby"_s);
        tray->alert();
        tray->setUnreadCount(4);
        tray->tellStillRunning();
        QVERIFY(!settings()->trayNoticeShown());
        QVERIFY(tray->menu()); // made anyway, for a tray that may not come
    }

    void closingHidesToTheTrayWhenThereIsOne()
    {
        // Pretend there is a tray: the window behaves the same.
        m_window->setHidesOnClose(true);
        QSignalSpy hidden(m_window, &MainWindow::hiddenToTray);
        QSignalSpy quitRequested(m_window, &MainWindow::quitRequested);
        QSignalSpy finished(m_session.controller(), &AppController::finished);
        QVERIFY(!m_window->close());
        QVERIFY(!m_window->isVisible());
        QCOMPARE(hidden.size(), 1);
        QCOMPARE(quitRequested.size(), 0);
        QCOMPARE(client()->state(), ChatClient::State::Online);

        // The tray menu's first entry shows it again, Quit really quits.
        QMenu *menu = m_session.controller()->trayNotifier()->menu();
        menu->actions().constFirst()->trigger();
        QVERIFY(m_window->isVisible());
        QAction *quit = actionNamed(menu, u"&Quit"_s);
        QVERIFY(quit);
        quit->trigger();
        QCOMPARE(quitRequested.size(), 1);
        QVERIFY(finished.wait(kTimeoutMsecs));
    }

    void ownMessagesNeverNotify()
    {
        settings()->setLevel(u"#lobby"_s, NotificationLevel::AllMessages);
        QVERIFY(!policy()->shouldNotify({u"#lobby"_s, u"alice"_s, u"alice: note to self"_s, true, false}));
        QVERIFY(!policy()->shouldNotify({u"#lobby"_s, u"ALICE"_s, u"hi"_s, false, false}));
        QVERIFY(policy()->shouldNotify({u"#lobby"_s, u"bob"_s, u"hi"_s, false, false}));

        Participant bob(port(), u"bob"_s);
        send(u"alice: note to self"_s);
        QTRY_VERIFY_WITH_TIMEOUT(hasText(lobbyLog(), u"alice: note to self"_s), kTimeoutMsecs);
        expectOnlyTheMarker(bob);
    }

    void levelsAreRememberedPerServerAndConversation()
    {
        settings()->setLevel(u"#dev"_s, NotificationLevel::AllMessages);
        settings()->setLevel(u"bob"_s, NotificationLevel::Nothing);
        const NotificationSettings again(client(), m_session.settings());
        QCOMPARE(again.level(u"#DEV"_s), NotificationLevel::AllMessages); // as the server compares rooms
        QCOMPARE(again.level(u"Bob"_s), NotificationLevel::Nothing);
        QCOMPARE(again.level(u"#ops"_s), NotificationLevel::MentionsOnly);
        QCOMPARE(again.level(u"carol"_s), NotificationLevel::AllMessages);

        // Another server has its own.
        ChatClient elsewhere;
        const NotificationSettings other(&elsewhere, m_session.settings());
        QCOMPARE(other.level(u"#dev"_s), NotificationLevel::MentionsOnly);
        QCOMPARE(other.level(u"bob"_s), NotificationLevel::AllMessages);
    }

private:
    quint16 port() const { return m_session.server()->serverPort(); }
    ChatClient *client() const { return m_session.controller()->client(); }
    ConversationListModel *conversations() const { return m_session.controller()->conversations(); }
    NotificationSettings *settings() const { return m_session.controller()->notificationSettings(); }
    NotificationPolicy *policy() const { return m_session.controller()->notificationPolicy(); }
    MessageLogModel *lobbyLog() const { return conversations()->log(0); }
    MessageLogModel *logOf(const QString &conversation) const
    {
        return conversations()->log(conversations()->indexOf(conversation));
    }

    // The level's entry in the sidebar's context menu of `row` (which the menu owns: used at once).
    QAction *levelAction(int row, NotificationLevel level)
    {
        m_menu = m_window->sidebar()->contextMenu(row);
        auto *levels = m_menu->findChild<NotificationLevelMenu *>();
        return levels ? levels->actionFor(level) : nullptr;
    }

    void send(const QString &line)
    {
        m_window->input()->setText(line);
        QTest::keyClick(m_window->input(), Qt::Key_Return);
    }

    // A whisper from bob, which notifies, is the only notification so far.
    void expectOnlyTheMarker(Participant &bob)
    {
        QVERIFY(bob.whisper(u"alice"_s, u"marker"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->shown().size(), 1, kTimeoutMsecs);
        QCOMPARE(m_fake->shown().constFirst().body, u"marker"_s);
        QCOMPARE(m_fake->alerts(), 1);
    }

    GuiSession m_session;
    MainWindow *m_window = nullptr;
    std::unique_ptr<FakeNotifier> m_fake;
    std::unique_ptr<QMenu> m_menu;
    bool m_active = false;
};

QTCHAT_TEST_MAIN(TestGuiNotifications)
#include "tst_gui_notifications.moc"
