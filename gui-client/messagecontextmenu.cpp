// SPDX-License-Identifier: MIT
#include "messagecontextmenu.h"

#include "messagelogmodel.h"

#include <QApplication>
#include <QClipboard>

using Kind = MessageLogModel::Kind;

MessageContextMenu::MessageContextMenu(const MessageLogModel *model, int row, const QUrl &link, bool hasSelection,
                                       QWidget *parent)
    : QMenu(parent)
{
    QAction *copy = addAction(tr("&Copy"), this, &MessageContextMenu::copyRequested);
    copy->setShortcut(QKeySequence::Copy);
    copy->setEnabled(hasSelection);
    addAction(tr("Select &All"), this, &MessageContextMenu::selectAllRequested)->setShortcut(QKeySequence::SelectAll);

    if (link.isValid()) {
        addSeparator();
        addAction(tr("&Open Link"), this, [this, link] { emit openLinkRequested(link); });
        addAction(tr("Copy &Link Address"), this, [link] { QApplication::clipboard()->setText(link.toString()); });
    }

    if (!model || row < 0 || row >= model->rowCount())
        return;
    const MessageLogModel::Entry &e = model->entry(row);
    const bool chatRow = e.kind == Kind::Message || e.kind == Kind::Action || e.kind == Kind::Whisper;
    if (!chatRow || e.own || e.nick.isEmpty())
        return;
    addSeparator();
    const QString nick = e.nick;
    addAction(tr("&Whisper to %1").arg(nick), this, [this, nick] { emit whisperRequested(nick); });
}
