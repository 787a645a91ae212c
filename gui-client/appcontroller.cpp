// SPDX-License-Identifier: MIT
#include "appcontroller.h"

#include "chatclient.h"
#include "chatfeed.h"
#include "connectdialog.h"
#include "conversationlistmodel.h"
#include "errortext.h"
#include "guilogging.h"
#include "idleaway.h"
#include "mainwindow.h"
#include "messagelogmodel.h"
#include "notificationpolicy.h"
#include "notificationsettings.h"
#include "roommemory.h"
#include "traynotifier.h"
#include "userlistmodel.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {
const QString kAwayAfterKey = u"presence/awayAfterMinutes"_s;
constexpr int kDefaultAwayAfterMinutes = 10;
constexpr int kMsecsPerMinute = 60 * 1000;
} // namespace

AppController::AppController(const GuiOptions &options, QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_settings(settings)
    , m_client(new ChatClient(this))
    , m_log(new MessageLogModel(this))
    , m_users(new UserListModel(this))
    , m_feed(new ChatFeed(m_client, m_log, m_users, this))
    , m_conversations(new ConversationListModel(m_log, m_users, this))
    , m_roomMemory(new RoomMemory(m_client, settings, this))
    , m_notificationSettings(new NotificationSettings(m_client, settings, this))
    , m_notificationPolicy(new NotificationPolicy(m_client, m_notificationSettings, this))
    , m_idleAway(new IdleAway(m_client, this))
    , m_dialog(std::make_unique<ConnectDialog>(settings))
{
    m_client->setClientName(u"chat-gui/"_s + QCoreApplication::applicationVersion());
    m_conversations->follow(m_client);
    m_notificationPolicy->follow(m_conversations);
    connect(m_notificationPolicy, &NotificationPolicy::openRequested, this, &AppController::openConversation);
    if (m_options.scrollback > 0)
        m_conversations->setScrollback(m_options.scrollback);
    // The command line wins and is remembered, like the other choices.
    if (m_options.awayAfterMinutes)
        m_settings->setValue(kAwayAfterKey, *m_options.awayAfterMinutes);
    m_idleAway->setIdleMsecs(m_settings->value(kAwayAfterKey, kDefaultAwayAfterMinutes).toInt() * kMsecsPerMinute);
    m_dialog->setValues(m_options.host, m_options.port, m_options.nick);
    m_dialog->setTlsValues(m_options.tls, m_options.caFile);

    connect(m_dialog.get(), &ConnectDialog::connectRequested, this, &AppController::onConnectRequested);
    connect(m_dialog.get(), &ConnectDialog::cancelRequested, this, [this] { m_client->disconnectFromServer(); });
    connect(m_dialog.get(), &QDialog::rejected, this, &AppController::quit);

    connect(m_client, &ChatClient::stateChanged, this, &AppController::onStateChanged);
    connect(m_client, &ChatClient::registered, this, &AppController::onRegistered);
    connect(m_client, &ChatClient::registrationRefused, this, [this](const Protocol::Error &error) {
        if (m_window)
            return; // the chat window shows it (ChatFeed)
        m_refused = true;
        const bool aboutNick =
            error.code == Protocol::ErrorCode::NickTaken || error.code == Protocol::ErrorCode::NickInvalid;
        m_dialog->showError(ErrorText::describe(error, m_dialog->nick()),
                            aboutNick ? ConnectDialog::Field::Nick : ConnectDialog::Field::Host);
    });
    connect(m_client, &ChatClient::connectionError, this, &AppController::onDialogError);
    connect(m_client, &ChatClient::certificateChanged, this, &AppController::onCertificateChanged);
}

AppController::~AppController() = default;

void AppController::start()
{
    m_dialog->show();
    if (m_options.autoConnect && m_dialog->canSubmit())
        m_dialog->submit();
}

void AppController::onConnectRequested(const QString &host, quint16 port, const QString &nick)
{
    m_refused = false;
    // After nick-taken the connection is still open: try the new nick on it.
    const bool sameServer = host == m_client->host() && port == m_client->port();
    if (sameServer && m_client->state() == ChatClient::State::Registering) {
        m_dialog->setBusy(tr("Joining as %1…").arg(nick));
        m_roomMemory->prepare(host, port, nick);
        m_client->registerAs(nick);
        return;
    }
    const QString tlsError = m_client->setTls(m_dialog->useTls(), m_dialog->caFile());
    if (!tlsError.isEmpty()) {
        m_dialog->showError(tlsError, ConnectDialog::Field::Host);
        return;
    }
    m_dialog->setBusy(tr("Connecting to %1:%2…").arg(host).arg(port));
    // The rooms of the last session with this server and nickname: the `hello` joins them.
    m_roomMemory->prepare(host, port, nick);
    m_client->connectToServer(host, port, nick);
}

void AppController::onStateChanged()
{
    if (m_window || !m_dialog->isBusy())
        return;
    if (m_client->state() == ChatClient::State::Registering)
        m_dialog->setBusy(tr("Connected. Joining as %1…").arg(m_client->nick()));
}

void AppController::onRegistered()
{
    if (m_window)
        return;
    m_dialog->remember();
    m_dialog->hide();
    m_window = std::make_unique<MainWindow>(m_client, m_conversations, m_feed, m_notificationSettings, m_settings);
    connect(m_window.get(), &MainWindow::quitRequested, this, &AppController::quit);

    m_tray = std::make_unique<TrayNotifier>(m_window.get(), m_notificationSettings);
    m_window->setHidesOnClose(m_tray->hasTray());
    connect(m_window.get(), &MainWindow::hiddenToTray, m_tray.get(), &TrayNotifier::tellStillRunning);
    connect(m_window.get(), &MainWindow::unreadCountChanged, m_tray.get(), &TrayNotifier::setUnreadCount);
    connect(m_tray.get(), &TrayNotifier::toggleWindowRequested, this, &AppController::toggleWindow);
    connect(m_tray.get(), &TrayNotifier::quitRequested, m_window.get(), &MainWindow::requestQuit);
    m_notificationPolicy->setNotifier(m_tray.get());
    m_notificationPolicy->setWindowActive(
        [window = QPointer<MainWindow>(m_window.get())] { return window && window->isActiveWindow(); });

    m_window->show();
    m_window->activateWindow();
}

void AppController::onDialogError(const QString &message)
{
    if (m_window)
        return; // ChatFeed puts it in the conversation
    if (m_refused) {
        m_refused = false;
        return;
    }
    const QAbstractSocket::SocketError error = m_client->lastSocketError();
    const bool aboutPort = error == QAbstractSocket::ConnectionRefusedError;
    m_dialog->showError(message, aboutPort ? ConnectDialog::Field::Port : ConnectDialog::Field::Host);
}

void AppController::onCertificateChanged(const QString &host, quint16 port, const QString &pinned,
                                         const QString &presented)
{
    // The client has refused the connection already; the user may accept
    // the new certificate, which pins it and connects again.
    QWidget *parent = m_window ? static_cast<QWidget *>(m_window.get()) : m_dialog.get();
    delete m_certificateQuestion;
    auto *question = new QMessageBox(QMessageBox::Warning, tr("Server certificate changed — qtchat"),
                                     tr("The server %1:%2 presents a different certificate than the one trusted "
                                        "before.")
                                         .arg(host)
                                         .arg(port),
                                     QMessageBox::NoButton, parent);
    question->setAttribute(Qt::WA_DeleteOnClose);
    question->setInformativeText(
        tr("This happens when the server got a new certificate, but also when someone between you and the server "
           "listens in. Trust the new certificate only if the server's operator confirms its fingerprint.\n\n"
           "Trusted before:\n%1\n\nPresented now:\n%2")
            .arg(pinned, presented));
    QPushButton *trust = question->addButton(tr("&Trust the new certificate"), QMessageBox::AcceptRole);
    question->addButton(tr("&Do not connect"), QMessageBox::RejectRole);
    question->setDefaultButton(qobject_cast<QPushButton *>(question->buttons().constLast()));
    connect(question, &QMessageBox::buttonClicked, this, [this, trust, host, port, presented](QAbstractButton *button) {
        if (button != trust)
            return;
        qCInfo(lcGuiApp) << "the user trusts the new certificate of" << host << port;
        m_client->trustCertificate(host, port, presented);
        if (m_window)
            m_client->connectToServer(host, port, m_client->nick());
        else
            m_dialog->submit();
    });
    m_certificateQuestion = question;
    question->open();
}

void AppController::openConversation(const QString &conversation)
{
    if (!m_window)
        return;
    m_window->bringToFront();
    const int row = conversation.isEmpty() ? -1 : m_conversations->indexOf(conversation);
    if (row >= 0)
        m_conversations->setCurrent(row);
}

void AppController::toggleWindow()
{
    if (!m_window)
        return;
    if (m_window->isVisible() && !m_window->isMinimized() && m_window->isActiveWindow())
        m_window->hide();
    else
        m_window->bringToFront();
}

void AppController::quit()
{
    if (m_quitting)
        return;
    m_quitting = true;
    qCInfo(lcGuiApp) << "leaving";
    if (m_client->state() == ChatClient::State::Disconnected) {
        QTimer::singleShot(0, this, &AppController::finished);
        return;
    }
    // finished() once the `bye` is out (ChatClient gives up after its own deadline).
    connect(m_client, &ChatClient::closed, this, &AppController::finished);
    m_client->disconnectFromServer();
}
