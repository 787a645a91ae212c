// SPDX-License-Identifier: MIT
// Moderation in the chat window against a real server with an operator
// password: the operator mark in the user list, the events as rows, the
// commands typed into the message box with Tab completion, refusals that
// say how long to wait, and being kicked.
#include "appcontroller.h"
#include "chatclient.h"
#include "chatinput.h"
#include "chatserver.h"
#include "guisession.h"
#include "mainwindow.h"
#include "messagelogmodel.h"
#include "participant.h"
#include "testharness.h"
#include "testserver.h"
#include "translations.h"
#include "userlistmodel.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Kind = MessageLogModel::Kind;

namespace {
constexpr int kTimeoutMsecs = 8000;
const QString kPassword = u"letmein"_s;
} // namespace

class TestGuiModeration final : public QObject
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
        ServerConfig config = TestServer::config();
        config.adminPassword = kPassword;
        // Time stands still for mutes: a mute of 10 minutes has 600 seconds
        // left however long the machine takes between two steps.
        config.moderationClock = [] { return qint64(0); };
        QVERIFY(m_session.start(config));
        m_window = m_session.window();
    }

    void cleanup()
    {
        m_window = nullptr;
        m_session.stop();
    }

    void operatorCommandsTypedInTheWindow()
    {
        Participant bob(m_session.server()->serverPort(), u"bob"_s);
        QVERIFY(bob.isOnline());
        QTRY_COMPARE_WITH_TIMEOUT(m_session.controller()->users()->count(), 2, kTimeoutMsecs);
        ChatInput *input = m_window->input();

        // Tab completes the new commands.
        QTest::keyClicks(input, u"/sl"_s);
        QTest::keyClick(input, Qt::Key_Tab);
        QCOMPARE(input->text(), u"/slow "_s);
        input->setText(QString());

        // Not an operator yet: refused in words.
        send(u"/kick bob"_s);
        QTRY_VERIFY2_WITH_TIMEOUT(lastTextOfKind(Kind::Error).contains(u"Only operators"_s),
                                  qPrintable(lastTextOfKind(Kind::Error)), kTimeoutMsecs);

        QSignalSpy bobSeesOp(bob.client(), &ChatClient::userOpped);
        send(u"/op "_s + kPassword);
        QVERIFY(bobSeesOp.wait(kTimeoutMsecs));
        QTRY_VERIFY_WITH_TIMEOUT(hasRow(Kind::Notice, u"alice is now an operator"_s), kTimeoutMsecs);
        // The mark in the user list, for everyone.
        UserListModel *users = m_session.controller()->users();
        QTRY_VERIFY_WITH_TIMEOUT(users->index(0).data(UserListModel::IsOperatorRole).toBool(), kTimeoutMsecs);
        QCOMPARE(users->index(0).data(Qt::AccessibleTextRole).toString(), u"alice, operator"_s);
        QVERIFY(!users->index(1).data(UserListModel::IsOperatorRole).toBool());
        QCOMPARE(bob.client()->operators(), QStringList{u"alice"_s});

        send(u"/slow 30"_s);
        QTRY_VERIFY_WITH_TIMEOUT(hasRow(Kind::Notice, u"alice turned slow mode on: one message per 30 seconds"_s),
                                 kTimeoutMsecs);
        send(u"/mute bob 5"_s);
        QTRY_VERIFY_WITH_TIMEOUT(hasRow(Kind::Notice, u"bob was muted by alice for 5 minutes"_s), kTimeoutMsecs);
        send(u"/unmute bob"_s);
        QTRY_VERIFY_WITH_TIMEOUT(hasRow(Kind::Notice, u"bob was unmuted by alice"_s), kTimeoutMsecs);
        send(u"/slow 0"_s);
        QTRY_VERIFY_WITH_TIMEOUT(hasRow(Kind::Notice, u"alice turned slow mode off"_s), kTimeoutMsecs);

        QSignalSpy bobKicked(bob.client(), &ChatClient::kicked);
        send(u"/kick bob see you tomorrow"_s);
        QVERIFY(bobKicked.wait(kTimeoutMsecs));
        QTRY_VERIFY_WITH_TIMEOUT(hasRow(Kind::Left, u"bob was kicked by alice (see you tomorrow)"_s), kTimeoutMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(users->count(), 1, kTimeoutMsecs);
    }

    void mutedAndKickedInTheWindow()
    {
        Participant mod(m_session.server()->serverPort(), u"mod"_s);
        QVERIFY(mod.isOnline());
        QSignalSpy opped(mod.client(), &ChatClient::userOpped);
        mod.client()->becomeOperator(kPassword);
        QVERIFY(opped.wait(kTimeoutMsecs));
        UserListModel *users = m_session.controller()->users();
        QTRY_VERIFY_WITH_TIMEOUT(users->isOperator(u"mod"_s), kTimeoutMsecs);

        mod.client()->mute(u"alice"_s, 10);
        QTRY_VERIFY_WITH_TIMEOUT(hasRow(Kind::Notice, u"alice was muted by mod for 10 minutes"_s), kTimeoutMsecs);
        send(u"can I still talk?"_s);
        QTRY_COMPARE_WITH_TIMEOUT(lastTextOfKind(Kind::Error), u"You are muted; you can write again in 600 seconds."_s,
                                  kTimeoutMsecs);

        mod.client()->kick(u"alice"_s, u"bye"_s);
        QTRY_VERIFY_WITH_TIMEOUT(hasRow(Kind::Error, u"You were kicked by mod: bye"_s), kTimeoutMsecs);
        QTRY_COMPARE_WITH_TIMEOUT(m_session.controller()->client()->state(), ChatClient::State::Disconnected,
                                  kTimeoutMsecs);
    }

private:
    void send(const QString &text)
    {
        ChatInput *input = m_window->input();
        input->setText(text);
        QTest::keyClick(input, Qt::Key_Return);
    }

    const MessageLogModel::Entry *lastOfKind(Kind kind) const
    {
        const MessageLogModel *log = m_session.controller()->log();
        for (int row = log->rowCount() - 1; row >= 0; --row) {
            if (log->entry(row).kind == kind)
                return &log->entry(row);
        }
        return nullptr;
    }

    // Empty while there is no row of that kind.
    QString lastTextOfKind(Kind kind) const
    {
        const MessageLogModel::Entry *entry = lastOfKind(kind);
        return entry ? entry->text : QString();
    }

    bool hasRow(Kind kind, const QString &text) const
    {
        const MessageLogModel *log = m_session.controller()->log();
        for (int row = 0; row < log->rowCount(); ++row) {
            if (log->entry(row).kind == kind && log->entry(row).text == text)
                return true;
        }
        return false;
    }

    GuiSession m_session;
    MainWindow *m_window = nullptr;
};

QTCHAT_TEST_MAIN(TestGuiModeration)
#include "tst_gui_moderation.moc"
