// SPDX-License-Identifier: MIT
#pragma once

#include <QMenu>
#include <QUrl>

class MessageLogModel;

// The conversation's context menu: copy and select all, open or copy the
// row's link, whisper to the row's author.
class MessageContextMenu final : public QMenu
{
    Q_OBJECT

public:
    // `link` is the one under the pointer, or the row's first one; `row` may be -1.
    MessageContextMenu(const MessageLogModel *model, int row, const QUrl &link, bool hasSelection, QWidget *parent);

signals:
    void copyRequested();
    void selectAllRequested();
    void openLinkRequested(const QUrl &url);
    void whisperRequested(const QString &nick);
};
