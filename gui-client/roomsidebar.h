// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class ConversationListModel;
class QListView;

// The left pane: the rooms one is in and the direct conversations
// (ConversationListModel), each with its unread badge. Clicking (or Enter
// on) a row makes it current; the context menu leaves a room or closes a
// direct conversation.
class RoomSidebar final : public QWidget
{
    Q_OBJECT

public:
    explicit RoomSidebar(ConversationListModel *model, QWidget *parent = nullptr);
    ~RoomSidebar() override;

    QListView *listView() const { return m_list; }
    // Moves the current row by `step` (wrapping), as Alt+Down / Ctrl+Tab do.
    void step(int step);

signals:
    void leaveRequested(const QString &room);
    // A row was clicked: the user wants to read and write there.
    void rowClicked();

private:
    void showContextMenu(const QPoint &pos);
    void followCurrent();

    ConversationListModel *m_model;
    QListView *m_list;
};
