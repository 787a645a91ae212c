// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

#include <memory>

class ConversationListModel;
class NotificationSettings;
class QListView;
class QMenu;

// The left pane: the rooms one is in and the direct conversations
// (ConversationListModel), each with its unread badge. Clicking (or Enter
// on) a row makes it current; the context menu leaves a room or closes a
// direct conversation and chooses its notification level.
class RoomSidebar final : public QWidget
{
    Q_OBJECT

public:
    // Without `notifications` the context menu has no notification levels.
    explicit RoomSidebar(ConversationListModel *model, NotificationSettings *notifications = nullptr,
                         QWidget *parent = nullptr);
    ~RoomSidebar() override;

    QListView *listView() const { return m_list; }
    // Moves the current row by `step` (wrapping), as Alt+Down / Ctrl+Tab do.
    void step(int step);
    // The context menu of `row` (what a right click opens).
    std::unique_ptr<QMenu> contextMenu(int row);

signals:
    void leaveRequested(const QString &room);
    // A row was clicked: the user wants to read and write there.
    void rowClicked();

private:
    void showContextMenu(const QPoint &pos);
    void followCurrent();

    ConversationListModel *m_model;
    NotificationSettings *m_notifications;
    QListView *m_list;
};
