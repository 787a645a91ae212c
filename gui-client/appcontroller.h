// SPDX-License-Identifier: MIT
#pragma once

#include "guioptions.h"

#include <QMessageBox>
#include <QObject>
#include <QPointer>

#include <memory>

class ChatClient;
class ChatFeed;
class ConnectDialog;
class ConversationListModel;
class IdleAway;
class MainWindow;
class MessageLogModel;
class NotificationPolicy;
class NotificationSettings;
class TrayNotifier;

class QSettings;
class RoomMemory;
class UserListModel;

// chat-gui's composition root and its one flow: the connect dialog until
// the first `welcome`, then the chat window until the user quits.
//
//   ConnectDialog --connectRequested--> ChatClient::connectToServer / registerAs
//   refusal or connection error ------> shown in the dialog, user retries
//   registered ------------------------> dialog closes, MainWindow (and the tray icon) opens
//   window closed, Quit or /quit ------> `bye`, then finished()
//   (with a tray, closing the window only hides it)
class AppController final : public QObject
{
    Q_OBJECT

public:
    AppController(const GuiOptions &options, QSettings *settings, QObject *parent = nullptr);
    ~AppController() override;

    // Shows the dialog (and connects at once with --connect).
    void start();

    ChatClient *client() const { return m_client; }
    MessageLogModel *log() const { return m_log; }
    UserListModel *users() const { return m_users; }
    ConversationListModel *conversations() const { return m_conversations; }
    RoomMemory *roomMemory() const { return m_roomMemory; }
    NotificationSettings *notificationSettings() const { return m_notificationSettings; }
    NotificationPolicy *notificationPolicy() const { return m_notificationPolicy; }
    IdleAway *idleAway() const { return m_idleAway; }
    // With the window: the tray icon (if the desktop has a tray) and the taskbar alert.
    TrayNotifier *trayNotifier() const { return m_tray.get(); }
    ConnectDialog *dialog() const { return m_dialog.get(); }
    MainWindow *window() const { return m_window.get(); }
    // The question "trust the changed certificate?" while it is open.
    QMessageBox *certificateQuestion() const { return m_certificateQuestion; }

signals:
    // The program may exit: the dialog was closed, or the chat ended politely.
    void finished();

private:
    void onConnectRequested(const QString &host, quint16 port, const QString &nick);
    void onStateChanged();
    void onRegistered();
    void onDialogError(const QString &message);
    void onCertificateChanged(const QString &host, quint16 port, const QString &pinned, const QString &presented);
    void quit();
    // Shows the window with `conversation` (a room or a person) current, as a click on its notification asks.
    void openConversation(const QString &conversation);
    void toggleWindow();

    GuiOptions m_options;
    QSettings *m_settings;
    ChatClient *m_client;
    MessageLogModel *m_log;
    UserListModel *m_users;
    ChatFeed *m_feed;
    ConversationListModel *m_conversations;
    RoomMemory *m_roomMemory;
    NotificationSettings *m_notificationSettings;
    NotificationPolicy *m_notificationPolicy;
    IdleAway *m_idleAway;
    std::unique_ptr<ConnectDialog> m_dialog;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<TrayNotifier> m_tray;
    // After a refusal the server closes or we retry; that ending is not news.
    bool m_refused = false;
    bool m_quitting = false;
    QPointer<QMessageBox> m_certificateQuestion;
};
