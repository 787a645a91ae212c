// SPDX-License-Identifier: MIT
#include "appcontroller.h"
#include "chatclient.h"
#include "chatinput.h"
#include "chatserver.h"
#include "chattheme.h"
#include "connectionstatus.h"
#include "conversationlistmodel.h"
#include "findbar.h"
#include "guisession.h"
#include "logrows.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagelogmodel.h"
#include "messageview.h"
#include "participant.h"
#include "testharness.h"
#include "testserver.h"
#include "translations.h"
#include "userlistmodel.h"
#include "userlistpanel.h"

#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QListView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using Kind = MessageLogModel::Kind;

namespace {

constexpr int kTimeoutMsecs = 8000;

} // namespace

// The chat window against a real server: sending, receiving and rendering,
// the user list, Tab completion, history, find, unread count, the status
// bar. The scrollback's own behaviour is in tst_gui_scrollback.
class TestChatWindow final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        TestServer::quietLogs();
        // As chat-gui does: English is a translation too (plural forms).
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

    void typingAndSending()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.isOnline());
        QSignalSpy bobSees(bob.client(), &ChatClient::messageReceived);

        ChatInput *input = m_window->input();
        QVERIFY(input->hasFocus());
        QTest::keyClicks(input, u"hello world"_s);
        QTest::keyClick(input, Qt::Key_Return);
        QVERIFY(input->text().isEmpty());

        QVERIFY(bobSees.wait(kTimeoutMsecs));
        QCOMPARE(bobSees.first().first().value<Protocol::ChatMessage>().text, u"hello world"_s);
        QTRY_COMPARE_WITH_TIMEOUT(lastTextOfKind(Kind::Message), u"hello world"_s, kTimeoutMsecs);
        QVERIFY(lastOfKind(Kind::Message)->own);

        // Shift+Enter makes a multi-line message.
        QTest::keyClicks(input, u"line one"_s);
        QTest::keyClick(input, Qt::Key_Return, Qt::ShiftModifier);
        QTest::keyClicks(input, u"line two"_s);
        QCOMPARE(input->text(), u"line one\nline two"_s);
        QTest::keyClick(input, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(lastTextOfKind(Kind::Message), u"line one\nline two"_s, kTimeoutMsecs);

        // /me through the same box.
        QTest::keyClicks(input, u"/me waves"_s);
        QTest::keyClick(input, Qt::Key_Enter);
        QTRY_COMPARE_WITH_TIMEOUT(lastTextOfKind(Kind::Action), u"waves"_s, kTimeoutMsecs);
    }

    void upAndDownRecallSentMessages()
    {
        ChatInput *input = m_window->input();
        QTest::keyClicks(input, u"first"_s);
        QTest::keyClick(input, Qt::Key_Return);
        QTest::keyClicks(input, u"second"_s);
        QTest::keyClick(input, Qt::Key_Return);
        QTest::keyClicks(input, u"draft"_s);
        QTest::keyClick(input, Qt::Key_Up);
        QCOMPARE(input->text(), u"second"_s);
        QTest::keyClick(input, Qt::Key_Up);
        QCOMPARE(input->text(), u"first"_s);
        QTest::keyClick(input, Qt::Key_Down);
        QCOMPARE(input->text(), u"second"_s);
        QTest::keyClick(input, Qt::Key_Down);
        QCOMPARE(input->text(), u"draft"_s);
    }

    void receivingAndRendering()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.say(u"hi alice, the build is at https://example.org/builds."_s));
        QVERIFY(bob.say(u"three\nline\nmessage"_s));
        QVERIFY(bob.say(u"shrugs"_s, true));
        QVERIFY(bob.whisper(u"alice"_s, u"psst"_s));
        QVERIFY(bob.say(u"안녕하세요 민수님"_s));

        MessageLogModel *log = m_session.controller()->log();
        // bob waited for each echo, so alice gets them in this order: the last one means all arrived.
        QTRY_COMPARE_WITH_TIMEOUT(log->entry(log->rowCount() - 1).text, u"안녕하세요 민수님"_s, kTimeoutMsecs);

        const int mentionRow = rowWithText(u"hi alice, the build is at https://example.org/builds."_s);
        QVERIFY(mentionRow >= 0);
        QCOMPARE(log->entry(mentionRow).nick, u"bob"_s);
        QVERIFY(log->entry(mentionRow).mention);
        QVERIFY(!log->entry(mentionRow).own);

        MessageView *view = m_window->messageView();
        MessageDelegate *delegate = view->messageDelegate();
        const QModelIndex linkIndex = log->index(mentionRow);
        QCOMPARE(delegate->links(linkIndex), QList<QUrl>{QUrl(u"https://example.org/builds"_s)});

        // A three-line message is taller than a one-line one.
        const int multiRow = rowWithText(u"three\nline\nmessage"_s);
        QVERIFY(multiRow >= 0);
        QStyleOptionViewItem option;
        option.initFrom(view);
        // (Compared with a short one: the link's line wraps in the narrower view beside the room sidebar.)
        const QModelIndex shortIndex = log->index(rowWithText(u"안녕하세요 민수님"_s));
        QVERIFY(delegate->sizeHint(option, log->index(multiRow)).height() >
                delegate->sizeHint(option, shortIndex).height() * 2);
        QCOMPARE(delegate->sizeHint(option, linkIndex).width(), view->viewport()->width());

        QCOMPARE(lastOfKind(Kind::Action)->text, u"shrugs"_s);
        // Whispers have a conversation of their own (rooms, issue #15).
        QVERIFY(!lastOfKind(Kind::Whisper));
        const MessageLogModel *direct = directLog(u"bob"_s);
        QVERIFY(direct);
        QCOMPARE(LogRows::lastOfKind(*direct, Kind::Whisper)->nick, u"bob"_s);
        QCOMPARE(LogRows::lastOfKind(*direct, Kind::Whisper)->target, u"alice"_s);
        QVERIFY(log->index(multiRow).data().toString().contains(u"<bob> three"_s));

        // It paints without trouble, and the view followed the newest row.
        QVERIFY(!view->grab().isNull());
        QVERIFY(view->isFollowingNewest());
        QCOMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());

        // Joins and leaves (with the reason) become quiet system rows.
        {
            Participant carol(m_session.server()->serverPort(), u"carol"_s);
            // bob's join is already there; wait for carol's.
            QTRY_COMPARE_WITH_TIMEOUT(lastOfKind(Kind::Joined)->nick, u"carol"_s, kTimeoutMsecs);
            carol.leave();
        }
        QTRY_VERIFY2_WITH_TIMEOUT(lastTextOfKind(Kind::Left).contains(u"carol left (quit)"_s),
                                  qPrintable(lastTextOfKind(Kind::Left)), kTimeoutMsecs);
        QVERIFY(log->index(log->rowCount() - 1).data(MessageLogModel::SystemRole).toBool());
    }

    void userListFollowsTheRoom()
    {
        UserListPanel *panel = m_window->userPanel();
        UserListModel *users = m_session.controller()->users();
        QCOMPARE(users->users(), QStringList{u"alice"_s});
        QCOMPARE(panel->headerText(), u"1 &user online"_s);
        {
            Participant bob(m_session.server()->serverPort(), u"bob"_s);
            QTRY_COMPARE_WITH_TIMEOUT(users->count(), 2, kTimeoutMsecs);
            QCOMPARE(panel->headerText(), u"2 &users online"_s);
            QCOMPARE(users->users(), (QStringList{u"alice"_s, u"bob"_s}));
            QVERIFY(users->index(0).data(UserListModel::IsSelfRole).toBool());

            // Renames show up in place.
            QSignalSpy renamed(bob.client(), &ChatClient::nickChanged);
            bob.client()->changeNick(u"Bobby"_s);
            QVERIFY(renamed.wait(kTimeoutMsecs));
            QTRY_COMPARE_WITH_TIMEOUT(users->users(), (QStringList{u"alice"_s, u"Bobby"_s}), kTimeoutMsecs);
            QVERIFY(lastOfKind(Kind::Renamed));
            bob.leave();
        }
        QTRY_COMPARE_WITH_TIMEOUT(users->count(), 1, kTimeoutMsecs);
        QCOMPARE(panel->headerText(), u"1 &user online"_s);
    }

    void doubleClickOnAUserStartsAWhisper()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_session.controller()->users()->count(), 2, kTimeoutMsecs);
        QListView *list = m_window->userPanel()->listView();
        const QRect rect = list->visualRect(m_session.controller()->users()->index(1));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, rect.center());
        // The direct conversation with bob opens (rooms, issue #15); a plain line there is a whisper.
        QCOMPARE(m_session.controller()->conversations()->currentName(), u"bob"_s);
        QCOMPARE(m_window->input()->text(), QString());
        QVERIFY(m_window->input()->hasFocus());

        QSignalSpy bobGets(bob.client(), &ChatClient::whisperReceived);
        QTest::keyClicks(m_window->input(), u"just for you"_s);
        QTest::keyClick(m_window->input(), Qt::Key_Return);
        QVERIFY(bobGets.wait(kTimeoutMsecs));
        const MessageLogModel *direct = directLog(u"bob"_s);
        QTRY_VERIFY_WITH_TIMEOUT(LogRows::lastOfKind(*direct, Kind::Whisper), kTimeoutMsecs);
        QCOMPARE(LogRows::lastOfKind(*direct, Kind::Whisper)->text, u"just for you"_s);
        QVERIFY(LogRows::lastOfKind(*direct, Kind::Whisper)->own);
        QCOMPARE(LogRows::lastOfKind(*direct, Kind::Whisper)->target, u"bob"_s);
    }

    void tabCompletesKoreanNicknames()
    {
        Participant minsu(m_session.server()->serverPort(), u"민수"_s);
        Participant minji(m_session.server()->serverPort(), u"민지"_s);
        Participant bob(m_session.server()->serverPort(), u"Bob"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_session.controller()->users()->count(), 4, kTimeoutMsecs);

        ChatInput *input = m_window->input();
        typeText(input, u"민"_s);
        QTest::keyClick(input, Qt::Key_Tab);
        QCOMPARE(input->text(), u"민수: "_s);
        QTest::keyClick(input, Qt::Key_Tab);
        QCOMPARE(input->text(), u"민지: "_s);
        QVERIFY(input->hasFocus()); // Tab completed; it did not move the focus

        typeText(input, u"안녕 b"_s); // case-insensitive
        QTest::keyClick(input, Qt::Key_Tab);
        QCOMPARE(input->text(), u"민지: 안녕 Bob "_s);

        input->setText(QString());
        QTest::keyClicks(input, u"/wh"_s);
        QTest::keyClick(input, Qt::Key_Tab);
        QCOMPARE(input->text(), u"/who "_s);
    }

    // Tab never moves the focus out of the message box (as in HexChat and
    // Quassel): with nothing to complete it does nothing, so the keys typed
    // next still go into the box, not to the conversation.
    void tabNeverLeavesTheInput()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_session.controller()->users()->count(), 2, kTimeoutMsecs);
        ChatInput *input = m_window->input();
        QVERIFY(input->hasFocus());

        QTest::keyClicks(input, u"hi @min"_s); // nobody's nick starts with "min"
        QTest::keyClick(input, Qt::Key_Tab);
        QVERIFY(input->hasFocus());
        QCOMPARE(input->text(), u"hi @min"_s);
        QTest::keyClick(input, Qt::Key_Backtab, Qt::ShiftModifier);
        QVERIFY(input->hasFocus());
        QCOMPARE(input->text(), u"hi @min"_s);
        // Typed where the focus is, as a user's next key would be.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_I);
        QCOMPARE(input->text(), u"hi @mini"_s);

        input->setText(QString());
        QTest::keyClick(input, Qt::Key_Tab);
        QVERIFY(input->hasFocus());
        QCOMPARE(input->text(), QString());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_A);
        QCOMPARE(input->text(), u"a"_s);

        // The way out for the keyboard (Ctrl+Tab switches rooms since issue #15).
        QTest::keyClick(input, Qt::Key_F6);
        QVERIFY(!input->hasFocus());
    }

    void findsTextInTheScrollback()
    {
        MessageLogModel *log = m_session.controller()->log();
        log->appendMessage(LogRows::message(1001, u"bob"_s, u"the needle is here"_s));
        log->appendMessage(LogRows::message(1002, u"bob"_s, u"nothing"_s));
        log->appendMessage(LogRows::message(1003, u"carol"_s, u"another NEEDLE"_s));

        QTest::keyClick(m_window, Qt::Key_F, Qt::ControlModifier);
        FindBar *find = m_window->findBar();
        QVERIFY(find->isVisible());
        QTest::keyClicks(QApplication::focusWidget(), u"needle"_s);
        QCOMPARE(find->matchCount(), 2);
        QCOMPARE(log->entry(find->currentRow()).id, 1003); // newest first
        QCOMPARE(m_window->messageView()->currentIndex().row(), find->currentRow());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QCOMPARE(log->entry(find->currentRow()).id, 1001);
        QCOMPARE(m_window->messageView()->messageDelegate()->searchTerm(), u"needle"_s);

        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QVERIFY(!find->isVisible());
        QVERIFY(m_window->messageView()->messageDelegate()->searchTerm().isEmpty());
        QVERIFY(m_window->input()->hasFocus());
    }

    void unreadCountInTitleWhileInactive()
    {
        QWidget other;
        other.show();
        other.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&other));
        QVERIFY(!m_window->isActiveWindow());

        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.say(u"are you there?"_s));
        QVERIFY(bob.say(u"alice?"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->unreadCount(), 2, kTimeoutMsecs);
        QVERIFY2(m_window->windowTitle().startsWith(u"(2) "_s), qPrintable(m_window->windowTitle()));

        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        QTRY_COMPARE(m_window->unreadCount(), 0);
        QVERIFY(!m_window->windowTitle().startsWith(u"("_s));
    }

    void warnsBeforePastingTooMuch()
    {
        ChatInput *input = m_window->input();
        int askedFor = 0;
        bool accept = false;
        input->setPasteConfirmation([&](int length) {
            askedFor = length;
            return accept;
        });
        QApplication::clipboard()->setText(QString(4500, u'x'));
        input->paste();
        QCOMPARE(askedFor, 4500);
        QVERIFY(input->text().isEmpty());

        accept = true;
        input->paste();
        QCOMPARE(ChatInput::lengthOf(input->text()), 4500);

        // Sending it is refused locally; the draft stays for editing.
        QTest::keyClick(input, Qt::Key_Return);
        QCOMPARE(ChatInput::lengthOf(input->text()), 4500);
        QVERIFY(m_window->inputHint()->isVisible());
        QVERIFY2(m_window->inputHint()->text().contains(u"4000"_s), qPrintable(m_window->inputHint()->text()));

        // A short paste asks nothing.
        input->setText(QString());
        askedFor = 0;
        QApplication::clipboard()->setText(u"short"_s);
        input->paste();
        QCOMPARE(askedFor, 0);
        QCOMPARE(input->text(), u"short"_s);
    }

    void statusBarShowsTheConnection()
    {
        QVERIFY2(m_window->connectionStatus()->text().contains(u"Connected to 127.0.0.1"_s),
                 qPrintable(m_window->connectionStatus()->text()));
        QVERIFY(m_window->windowTitle().contains(u"alice"_s));
    }

private:
    // The direct conversation with `nick`, or nullptr.
    const MessageLogModel *directLog(const QString &nick) const
    {
        const ConversationListModel *conversations = m_session.controller()->conversations();
        const int row = conversations->indexOf(nick);
        return conversations->isDirect(row) ? conversations->log(row) : nullptr;
    }

    const MessageLogModel::Entry *lastOfKind(Kind kind) const
    {
        return LogRows::lastOfKind(*m_session.controller()->log(), kind);
    }

    // Empty while there is no row of that kind.
    QString lastTextOfKind(Kind kind) const
    {
        const MessageLogModel::Entry *entry = lastOfKind(kind);
        return entry ? entry->text : QString();
    }

    int rowWithText(const QString &text) const
    {
        const MessageLogModel *log = m_session.controller()->log();
        for (int row = 0; row < log->rowCount(); ++row) {
            if (log->entry(row).text == text)
                return row;
        }
        return -1;
    }

    GuiSession m_session;
    MainWindow *m_window = nullptr;
};

QTCHAT_TEST_MAIN(TestChatWindow)
#include "tst_gui_chatwindow.moc"
