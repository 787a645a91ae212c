// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>
#include <QPointer>

class ChatClient;
class ChatFeed;
class ChatInput;
class ConnectionStatus;
class ConversationListModel;
class FindBar;
class MessageView;
class NotificationSettings;
class QLabel;
class QSettings;
class QSplitter;
class QToolButton;
class JoinRoomDialog;
class QuickSwitcher;
class RoomSidebar;
class RoomSwitcher;
class TopicBar;
class UserListPanel;

// The chat window: the rooms and direct conversations on the left
// (RoomSidebar), the current one with its find bar and the message box in
// the middle (RoomSwitcher swaps them), its users on the right, the
// connection in the status bar.
// It turns input into ChatClient::submitInput() calls and keeps the unread
// count in the title while the window is in the background. With a system
// tray, closing it hides it; Quit (Ctrl+Q, the tray's menu) ends the chat.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    // `notifications` (may be null) gives the sidebar its levels and the Chat menu Do Not Disturb.
    MainWindow(ChatClient *client, ConversationListModel *conversations, ChatFeed *feed,
               NotificationSettings *notifications, QSettings *settings = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    MessageView *messageView() const { return m_view; }
    ChatInput *input() const { return m_input; }
    UserListPanel *userPanel() const { return m_userPanel; }
    FindBar *findBar() const { return m_findBar; }
    ConnectionStatus *connectionStatus() const { return m_status; }
    RoomSidebar *sidebar() const { return m_sidebar; }
    RoomSwitcher *switcher() const { return m_switcher; }
    TopicBar *topicBar() const { return m_topicBar; }
    // The "Join a Room" dialog (Ctrl+J) and the quick switcher (Ctrl+K) while open.
    JoinRoomDialog *joinRoomDialog() const;
    QuickSwitcher *quickSwitcher() const;
    void openJoinRoomDialog();
    void openQuickSwitcher();
    QLabel *inputHint() const { return m_inputHint; }
    int unreadCount() const { return m_unread; }

    // Whether closing the window only hides it (there is a tray to bring it back from).
    void setHidesOnClose(bool hides) { m_hidesOnClose = hides; }
    bool hidesOnClose() const { return m_hidesOnClose; }
    // Shows the window (from the tray, minimized or behind others) and activates it.
    void bringToFront();
    // Ends the chat: saves the layout and emits quitRequested() (once).
    void requestQuit();

    // What the Send button and Enter do.
    void submit(const QString &text);
    void startWhisper(const QString &nick);

signals:
    // The user closed the window (without a tray), chose Quit or typed /quit.
    void quitRequested();
    // Closing the window hid it; the chat goes on.
    void hiddenToTray();
    // Messages from others since the window was last active (the title's "(3)").
    void unreadCountChanged(int count);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void onMessageArrived();
    void updateTitle();
    void updateCounter(int length);
    void showInputHint(const QString &text, bool error);
    void cycleFocus(bool forward);
    void restoreLayout();
    void saveLayout();

    ChatClient *m_client;
    ConversationListModel *m_conversations;
    NotificationSettings *m_notifications;
    QSettings *m_settings;

    QSplitter *m_splitter = nullptr;
    MessageView *m_view = nullptr;
    FindBar *m_findBar = nullptr;
    ChatInput *m_input = nullptr;
    QToolButton *m_sendButton = nullptr;
    QLabel *m_inputHint = nullptr;
    QLabel *m_counter = nullptr;
    UserListPanel *m_userPanel = nullptr;
    RoomSidebar *m_sidebar = nullptr;
    RoomSwitcher *m_switcher = nullptr;
    TopicBar *m_topicBar = nullptr;
    QPointer<JoinRoomDialog> m_joinDialog;
    QPointer<QuickSwitcher> m_quickSwitcher;
    ConnectionStatus *m_status = nullptr;
    int m_unread = 0;
    bool m_closing = false;
    bool m_hidesOnClose = false;
};
