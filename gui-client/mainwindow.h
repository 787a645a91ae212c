// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>

class ChatClient;
class ChatFeed;
class ChatInput;
class ConnectionStatus;
class FindBar;
class MessageLogModel;
class MessageView;
class QLabel;
class QSettings;
class QSplitter;
class QToolButton;
class UserListModel;
class UserListPanel;

// The chat window: the conversation with its find bar and the message box
// on the left, the users on the right, the connection in the status bar.
// It turns input into ChatClient::submitInput() calls and keeps the unread
// count in the title while the window is in the background.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(ChatClient *client, MessageLogModel *log, UserListModel *users, ChatFeed *feed,
               QSettings *settings = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    MessageView *messageView() const { return m_view; }
    ChatInput *input() const { return m_input; }
    UserListPanel *userPanel() const { return m_userPanel; }
    FindBar *findBar() const { return m_findBar; }
    ConnectionStatus *connectionStatus() const { return m_status; }
    QLabel *inputHint() const { return m_inputHint; }
    int unreadCount() const { return m_unread; }

    // What the Send button and Enter do.
    void submit(const QString &text);
    void startWhisper(const QString &nick);

signals:
    // The user closed the window or typed /quit.
    void quitRequested();

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void onMessageArrived(bool mentionsMe, bool isWhisper);
    void updateTitle();
    void updateCounter(int length);
    void showInputHint(const QString &text, bool error);
    void cycleFocus(bool forward);
    void restoreLayout();
    void saveLayout();

    ChatClient *m_client;
    MessageLogModel *m_log;
    UserListModel *m_users;
    QSettings *m_settings;

    QSplitter *m_splitter = nullptr;
    MessageView *m_view = nullptr;
    FindBar *m_findBar = nullptr;
    ChatInput *m_input = nullptr;
    QToolButton *m_sendButton = nullptr;
    QLabel *m_inputHint = nullptr;
    QLabel *m_counter = nullptr;
    UserListPanel *m_userPanel = nullptr;
    ConnectionStatus *m_status = nullptr;
    int m_unread = 0;
    bool m_closing = false;
};
