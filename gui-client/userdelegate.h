// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

// Draws a UserListModel row: the nick in its chat colour (the same one the
// message view uses), the local user in bold with "(you)", an operator with "@".
class UserDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit UserDelegate(QObject *parent = nullptr);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
