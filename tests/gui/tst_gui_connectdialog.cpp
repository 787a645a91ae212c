// SPDX-License-Identifier: MIT
#include "appcontroller.h"
#include "chatclient.h"
#include "chatserver.h"
#include "connectdialog.h"
#include "connectionstatus.h"
#include "guioptions.h"
#include "mainwindow.h"
#include "participant.h"
#include "reservedport.h"
#include "servertrust.h"
#include "testharness.h"
#include "testserver.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeoutMsecs = 8000;

QLineEdit *field(ConnectDialog *dialog, const QString &accessibleName)
{
    const QList<QLineEdit *> edits = dialog->findChildren<QLineEdit *>();
    for (QLineEdit *edit : edits) {
        if (edit->accessibleName() == accessibleName)
            return edit;
    }
    return nullptr;
}

QSpinBox *portField(ConnectDialog *dialog)
{
    return dialog->findChild<QSpinBox *>();
}

void retype(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    typeText(edit, text);
}

GuiOptions optionsFor(quint16 port, const QString &nick)
{
    GuiOptions options;
    options.host = u"127.0.0.1"_s;
    options.port = port;
    options.nick = nick;
    return options;
}

} // namespace

// The nickname dialog: live validation, remembered values, and the
// refusal/retry path against a real server.
class TestConnectDialog final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        TestServer::quietLogs();
        QVERIFY(m_dir.isValid());
    }

    void init() { m_settings = std::make_unique<QSettings>(m_dir.filePath(u"gui.ini"_s), QSettings::IniFormat); }

    void cleanup()
    {
        m_settings->clear();
        m_settings.reset();
    }

    void validatesTheNicknameWhileTyping()
    {
        ConnectDialog dialog(m_settings.get());
        dialog.show();
        QLineEdit *nick = field(&dialog, u"Nickname"_s);
        QVERIFY(nick);

        QVERIFY(!dialog.nickHintIsError()); // empty: rules, not a complaint
        QVERIFY(!dialog.connectButton()->isEnabled());

        QTest::keyClicks(nick, u"bad nick"_s);
        QVERIFY(dialog.nickHintIsError());
        QVERIFY2(dialog.nickHint().contains(u"space"_s), qPrintable(dialog.nickHint()));
        QVERIFY(!dialog.connectButton()->isEnabled());

        retype(nick, u"민수"_s);
        QVERIFY(!dialog.nickHintIsError());
        QVERIFY(dialog.connectButton()->isEnabled());
        QCOMPARE(dialog.nick(), u"민수"_s);

        retype(nick, QString(25, u'a'));
        QVERIFY(dialog.nickHintIsError());
        QVERIFY2(dialog.nickHint().contains(u"24"_s), qPrintable(dialog.nickHint()));

        retype(nick, u"a!b"_s);
        QVERIFY(dialog.nickHint().contains(u"\"!\""_s));
    }

    void remembersTheLastValues()
    {
        {
            ConnectDialog dialog(m_settings.get());
            dialog.setValues(u"chat.example.org"_s, 6000, u"서연"_s);
            dialog.remember();
        }
        ConnectDialog again(m_settings.get());
        QCOMPARE(again.host(), u"chat.example.org"_s);
        QCOMPARE(again.port(), quint16(6000));
        QCOMPARE(again.nick(), u"서연"_s);
    }

    void commandLinePrefillsTheDialog()
    {
        const GuiOptions options = GuiOptions::parse(
            {u"chat-gui"_s, u"--host"_s, u"example.org"_s, u"--port"_s, u"6001"_s, u"--nick"_s, u"민지"_s});
        QVERIFY2(options.error.isEmpty(), qPrintable(options.error));
        AppController controller(options, m_settings.get());
        QCOMPARE(controller.dialog()->host(), u"example.org"_s);
        QCOMPARE(controller.dialog()->port(), quint16(6001));
        QCOMPARE(controller.dialog()->nick(), u"민지"_s);

        QVERIFY(!GuiOptions::parse({u"chat-gui"_s, u"--port"_s, u"99999"_s}).error.isEmpty());
        QVERIFY(!GuiOptions::parse({u"chat-gui"_s, u"--scrollback"_s, u"1"_s}).error.isEmpty());
        QCOMPARE(GuiOptions::parse({u"chat-gui"_s, u"--scrollback"_s, u"500"_s}).scrollback, 500);
        QCOMPARE(GuiOptions::languageFrom({u"chat-gui"_s, u"--lang"_s, u"ko"_s}), u"ko"_s);
        QCOMPARE(GuiOptions::languageFrom({u"chat-gui"_s, u"--lang=ko"_s}), u"ko"_s);
    }

    void nickTakenIsShownAndRetryWorks()
    {
        const auto server = TestServer::start();
        QVERIFY(server);
        Participant alice(server->serverPort(), u"alice"_s);
        QVERIFY(alice.isOnline());

        AppController controller(optionsFor(server->serverPort(), u"Alice"_s), m_settings.get());
        controller.start();
        ConnectDialog *dialog = controller.dialog();
        QTest::mouseClick(dialog->connectButton(), Qt::LeftButton);
        QVERIFY(dialog->isBusy()); // progress while connecting

        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), kTimeoutMsecs);
        QVERIFY2(dialog->statusText().contains(u"already taken"_s), qPrintable(dialog->statusText()));
        QVERIFY(!controller.window());
        QVERIFY(dialog->isVisible());
        // The connection stays open for another try.
        QCOMPARE(controller.client()->state(), ChatClient::State::Registering);

        retype(field(dialog, u"Nickname"_s), u"alice2"_s);
        QTest::mouseClick(dialog->connectButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(controller.window(), kTimeoutMsecs);
        QVERIFY(controller.window()->isVisible());
        QVERIFY(!dialog->isVisible());
        QCOMPARE(controller.client()->nick(), u"alice2"_s);
        QCOMPARE(m_settings->value(u"connect/nick"_s).toString(), u"alice2"_s);
    }

    void connectionRefusedIsShownAndRetryWorks()
    {
        const ReservedPort refused; // nobody listens there, and nobody else can
        QVERIFY(refused.port() != 0);
        AppController controller(optionsFor(refused.port(), u"bob"_s), m_settings.get());
        controller.start();
        ConnectDialog *dialog = controller.dialog();
        dialog->submit();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), kTimeoutMsecs);
        QVERIFY2(dialog->statusText().contains(u"refused"_s), qPrintable(dialog->statusText()));
        QCOMPARE(controller.client()->state(), ChatClient::State::Disconnected);

        const auto server = TestServer::start();
        QVERIFY(server);
        portField(dialog)->setValue(server->serverPort());
        QTest::mouseClick(dialog->connectButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(controller.window(), kTimeoutMsecs);
    }

    void unknownHostIsShown()
    {
        GuiOptions options = optionsFor(Protocol::kDefaultPort, u"bob"_s);
        // Not a valid host name: refused by Qt before any DNS query, with the
        // error a resolver's "no such host" gives, whatever this machine's resolver does.
        options.host = u"no!such!host"_s;
        AppController controller(options, m_settings.get());
        controller.start();
        controller.dialog()->submit();
        QTRY_VERIFY_WITH_TIMEOUT(!controller.dialog()->isBusy(), 15000);
        const QString status = controller.dialog()->statusText();
        QVERIFY2(status.contains(u"no!such!host"_s), qPrintable(status));
        QVERIFY(!controller.window());
    }

    void serverFullIsShown()
    {
        ServerConfig config = TestServer::config();
        config.maxClients = 1;
        const auto server = TestServer::start(config);
        QVERIFY(server);
        Participant first(server->serverPort(), u"first"_s);
        QVERIFY(first.isOnline());

        AppController controller(optionsFor(server->serverPort(), u"second"_s), m_settings.get());
        controller.start();
        controller.dialog()->submit();
        QTRY_VERIFY_WITH_TIMEOUT(!controller.dialog()->isBusy(), kTimeoutMsecs);
        QVERIFY2(controller.dialog()->statusText().contains(u"full"_s), qPrintable(controller.dialog()->statusText()));

        // Room again: the same dialog connects.
        first.leave();
        QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 0, kTimeoutMsecs);
        controller.dialog()->submit();
        QTRY_VERIFY_WITH_TIMEOUT(controller.window(), kTimeoutMsecs);
    }

    void escapeCancelsAnAttemptInProgress()
    {
        // A server that accepts and never answers keeps the client waiting for `welcome`.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        AppController controller(optionsFor(silent.serverPort(), u"bob"_s), m_settings.get());
        controller.start();
        controller.dialog()->submit();
        QTRY_COMPARE_WITH_TIMEOUT(controller.client()->state(), ChatClient::State::Registering, kTimeoutMsecs);
        QVERIFY(controller.dialog()->isBusy());

        QSignalSpy finished(&controller, &AppController::finished);
        QTest::keyClick(controller.dialog(), Qt::Key_Escape);
        QVERIFY(!controller.dialog()->isBusy());
        QVERIFY(controller.dialog()->isVisible());
        QCOMPARE(controller.client()->state(), ChatClient::State::Disconnected);
        QCOMPARE(finished.size(), 0); // cancelling is not quitting

        QTest::keyClick(controller.dialog(), Qt::Key_Escape);
        QVERIFY(finished.wait(kTimeoutMsecs));
    }

    void tlsChoiceIsRemembered()
    {
        {
            ConnectDialog dialog(m_settings.get());
            QVERIFY(!dialog.useTls());
            dialog.setTlsValues(true, u"/etc/chat/ca.pem"_s);
            dialog.remember();
        }
        ConnectDialog again(m_settings.get());
        QVERIFY(again.useTls());
        QCOMPARE(again.caFile(), u"/etc/chat/ca.pem"_s);
        again.findChild<QCheckBox *>()->setChecked(false);
        QCOMPARE(again.caFile(), QString()); // no TLS, no CA
        const GuiOptions options = GuiOptions::parse({u"chat-gui"_s, u"--ca"_s, u"ca.pem"_s});
        QVERIFY(options.tls);
        QCOMPARE(options.caFile, u"ca.pem"_s);
    }

    void changedCertificateIsAskedAboutAndCanBeTrusted()
    {
        QTCHAT_REQUIRE(QSslSocket::supportsSsl(), "a TLS backend in Qt (Debian: libssl3, with Qt's OpenSSL plugin)");
        ServerConfig config = TestServer::config();
        config.tlsSelfSigned = true;
        config.tlsDirectory = m_dir.filePath(u"tls"_s);
        const auto server = TestServer::start(config);
        QVERIFY(server);

        GuiOptions options = optionsFor(server->serverPort(), u"tess"_s);
        options.tls = true;
        AppController controller(options, m_settings.get());
        controller.client()->setPinFile(m_dir.filePath(u"pins.ini"_s));
        // As if another server had answered at this address before.
        const QString oldFingerprint = u"00:11:22:33"_s;
        controller.client()->trustCertificate(u"127.0.0.1"_s, server->serverPort(), oldFingerprint);
        controller.start();
        controller.dialog()->submit();

        QTRY_VERIFY_WITH_TIMEOUT(controller.certificateQuestion(), kTimeoutMsecs);
        QMessageBox *question = controller.certificateQuestion();
        QVERIFY(question->informativeText().contains(oldFingerprint));
        QVERIFY(question->informativeText().contains(server->tlsFingerprint()));
        QVERIFY(!controller.window());
        QTRY_VERIFY_WITH_TIMEOUT(!controller.dialog()->isBusy(), kTimeoutMsecs);
        QVERIFY2(controller.dialog()->statusText().contains(server->tlsFingerprint()),
                 qPrintable(controller.dialog()->statusText()));

        QAbstractButton *trust = question->buttons().constFirst();
        QCOMPARE(question->buttonRole(trust), QMessageBox::AcceptRole);
        QTest::mouseClick(trust, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(controller.window(), kTimeoutMsecs);
        QVERIFY(controller.client()->isEncrypted());
        QCOMPARE(m_settings->value(u"connect/tls"_s).toBool(), true);
        auto *status = controller.window()->findChild<ConnectionStatus *>();
        QVERIFY(status);
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"encrypted"_s), kTimeoutMsecs);
    }

    // The user had pinned certificate A; the server now presents B. Declining
    // the question connects nothing (no `hello`, nobody joins, no retry) and
    // certificate A stays the one trusted.
    void decliningAChangedCertificateConnectsNothingAndKeepsThePin()
    {
        QTCHAT_REQUIRE(QSslSocket::supportsSsl(), "a TLS backend in Qt (Debian: libssl3, with Qt's OpenSSL plugin)");
        const QString host = u"127.0.0.1"_s;
        const QString pinFile = m_dir.filePath(u"decline-pins.ini"_s);
        // The same port for both servers, as for a server that got a new certificate.
        const ReservedPort reserved(ReservedPort::Use::Shared);
        QVERIFY(reserved.port() != 0);
        ServerConfig config = TestServer::config();
        config.port = reserved.port();
        config.tlsSelfSigned = true;

        QString fingerprintA;
        {
            config.tlsDirectory = m_dir.filePath(u"tls-a"_s);
            const auto serverA = TestServer::start(config);
            QVERIFY(serverA);
            fingerprintA = serverA->tlsFingerprint();
            ChatClient first;
            first.setPinFile(pinFile);
            QCOMPARE(first.setTls(true), QString());
            QSignalSpy pinned(&first, &ChatClient::certificatePinned);
            QSignalSpy registered(&first, &ChatClient::registered);
            first.connectToServer(host, reserved.port(), u"tess"_s);
            QVERIFY(registered.wait(kTimeoutMsecs));
            QCOMPARE(pinned.size(), 1);
            QCOMPARE(pinned.first().at(2).toString(), fingerprintA);
            QSignalSpy closed(&first, &ChatClient::closed);
            first.disconnectFromServer();
            QVERIFY(closed.wait(kTimeoutMsecs));
        }

        config.tlsDirectory = m_dir.filePath(u"tls-b"_s);
        const auto serverB = TestServer::start(config);
        QVERIFY(serverB);
        const QString fingerprintB = serverB->tlsFingerprint();
        QVERIFY(fingerprintB != fingerprintA);

        GuiOptions options = optionsFor(reserved.port(), u"tess"_s);
        options.tls = true;
        AppController controller(options, m_settings.get());
        ChatClient *client = controller.client();
        client->setPinFile(pinFile);
        QSignalSpy changed(client, &ChatClient::certificateChanged);
        QSignalSpy registered(client, &ChatClient::registered);
        QSignalSpy states(client, &ChatClient::stateChanged);
        controller.start();
        controller.dialog()->submit();

        // The decision point: the client asks about certificate B.
        QVERIFY(changed.wait(kTimeoutMsecs));
        QCOMPARE(changed.first().at(2).toString(), fingerprintA);
        QCOMPARE(changed.first().at(3).toString(), fingerprintB);
        QMessageBox *question = controller.certificateQuestion();
        QVERIFY(question);
        QVERIFY(question->isVisible());
        QAbstractButton *decline = nullptr;
        for (QAbstractButton *button : question->buttons()) {
            if (question->buttonRole(button) == QMessageBox::RejectRole)
                decline = button;
        }
        QVERIFY(decline);
        QTest::mouseClick(decline, Qt::LeftButton);
        QVERIFY(!question->isVisible());

        QCOMPARE(client->state(), ChatClient::State::Disconnected);
        QCOMPARE(client->msecsUntilReconnect(), -1); // no retry scheduled either
        QVERIFY(!controller.window());
        QVERIFY(controller.dialog()->isVisible());
        QVERIFY(!controller.dialog()->isBusy());
        // The refused connection is closed on the server's side too ...
        QTRY_COMPARE_WITH_TIMEOUT(serverB->connectionCount(), 0, kTimeoutMsecs);
        // ... and nobody joined: someone trusting B finds themselves alone.
        ChatClient witness;
        witness.setPinFile(m_dir.filePath(u"witness-pins.ini"_s));
        QCOMPARE(witness.setTls(true), QString());
        QSignalSpy witnessIn(&witness, &ChatClient::registered);
        witness.connectToServer(host, reserved.port(), u"witness"_s);
        QVERIFY(witnessIn.wait(kTimeoutMsecs));
        QCOMPARE(witnessIn.first().at(0).value<Protocol::Welcome>().users, QStringList{u"witness"_s});
        QVERIFY(registered.isEmpty());
        QVERIFY(!states.contains(QVariantList{QVariant::fromValue(ChatClient::State::Registering)}));

        // Certificate A is still the one trusted.
        ServerTrust trust;
        trust.setPinFile(pinFile);
        QCOMPARE(trust.pinnedFingerprint(host, reserved.port()), fingerprintA);
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
};

QTCHAT_TEST_MAIN(TestConnectDialog)
#include "tst_gui_connectdialog.moc"
