// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QListView;
class UserListModel;

// The side panel: "3 users online" and the list. Double-click (or Enter) on
// someone starts a whisper; the context menu can also mention them.
class UserListPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit UserListPanel(UserListModel *model, QWidget *parent = nullptr);
    ~UserListPanel() override;

    QListView *listView() const { return m_list; }
    // Shows another list (the members of the room switched to).
    void setModel(UserListModel *model);
    QString headerText() const;

signals:
    void whisperRequested(const QString &nick);
    void mentionRequested(const QString &nick);

private:
    void updateHeader();
    void showContextMenu(const QPoint &pos);

    UserListModel *m_model;
    QLabel *m_header;
    QListView *m_list;
};
