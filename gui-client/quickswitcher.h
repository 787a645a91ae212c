// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class ConversationListModel;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;

// Ctrl+K: type a few letters of a room or a person, Enter shows it (Up and
// Down choose among the matches, Escape closes), as in Slack or Telegram.
class QuickSwitcher final : public QDialog
{
    Q_OBJECT

public:
    explicit QuickSwitcher(ConversationListModel *model, QWidget *parent = nullptr);
    ~QuickSwitcher() override;

    QLineEdit *field() const { return m_field; }
    QListView *listView() const { return m_list; }

    void accept() override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void selectFirst();

    ConversationListModel *m_model;
    QSortFilterProxyModel *m_filter;
    QLineEdit *m_field;
    QListView *m_list;
};
