// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class ChatClient;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class RoomDirectoryModel;

// "Join a room" (Ctrl+J): the server's rooms with their member counts and
// topics (asked for with `rooms` when the dialog opens), filtered by what is
// typed. Join takes the selected room, or the typed name, which creates the
// room if nobody is in it; an invalid name is explained in the dialog.
class JoinRoomDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit JoinRoomDialog(ChatClient *client, QWidget *parent = nullptr);
    ~JoinRoomDialog() override;

    QLineEdit *field() const { return m_field; }
    QListView *listView() const { return m_list; }
    QLabel *hint() const { return m_hint; }
    RoomDirectoryModel *directory() const { return m_directory; }
    // What Join would join now ("#dev"), or empty.
    QString chosenRoom() const;

    void accept() override;

signals:
    void joinRequested(const QString &room);

private:
    void onTextChanged(const QString &text);
    void showHint(const QString &text, bool error);

    ChatClient *m_client;
    RoomDirectoryModel *m_directory;
    QSortFilterProxyModel *m_filter;
    QLineEdit *m_field;
    QListView *m_list;
    QLabel *m_hint;
    QDialogButtonBox *m_buttons;
};
