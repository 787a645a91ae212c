// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

// One row of the sidebar: the room's name (or the other person's, with a
// "@" in front, for a direct conversation), bold while something is
// unread, and the unread count in a badge on the right: quiet grey for
// ordinary messages, the mention colour with a "@" when one of them names
// the user.
class RoomDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit RoomDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The badge's text: "3", "@ 3" when mentioned, empty when all is read.
    static QString badgeText(int unread, bool mentioned);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
