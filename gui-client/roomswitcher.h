// SPDX-License-Identifier: MIT
#pragma once

#include "chatclient.h"

#include <QHash>
#include <QObject>
#include <QString>

class ChatFeed;
class ChatInput;
class ConversationListModel;
class FindBar;
class MessageLogModel;
class MessageView;
class UserListPanel;

// Shows the current room or direct conversation in the window's panes:
// when ConversationListModel's current row changes it hands that row's
// scrollback to the view (and so to the find bar), its members to the user
// panel and the completer, its notices to ChatFeed, and swaps the message
// box's draft (each conversation keeps its own). It also knows where a
// typed line goes: the current room, or a whisper to the other person.
class RoomSwitcher final : public QObject
{
    Q_OBJECT

public:
    struct Panes {
        MessageView *view = nullptr;
        FindBar *findBar = nullptr;
        UserListPanel *users = nullptr;
        ChatInput *input = nullptr;
    };

    RoomSwitcher(ChatClient *client, ConversationListModel *conversations, ChatFeed *feed, const Panes &panes,
                 QObject *parent = nullptr);
    ~RoomSwitcher() override;

    // The current conversation's scrollback.
    MessageLogModel *currentLog() const;
    // Hands a typed line to the client, for the current room; in a direct
    // conversation a line that is not a command is a whisper to the other person.
    ChatClient::InputResult submit(const QString &line);
    // Opens the direct conversation with `nick` and shows it.
    void openDirect(const QString &nick);
    // Shows `room` as soon as one is in it (at once if one is already).
    void showRoomWhenEntered(const QString &room);

private:
    void show(int row);
    void updateNicks();

    ChatClient *m_client;
    ConversationListModel *m_conversations;
    ChatFeed *m_feed;
    Panes m_panes;
    QString m_shownKey;
    QString m_pendingRoom; // a key: joined by the user, shown once entered
    QHash<QString, QString> m_drafts;
    bool m_roomListAsked = false;
};
