// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

// Draws a UserListModel row: the nick in its chat colour (the same one the
// message view uses), the local user in bold with "(you)", an operator with
// "@", an away user dimmed and in italics.
class UserDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit UserDelegate(QObject *parent = nullptr);

    // Public (protected in the base): how a row is drawn, for tests.
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
