// SPDX-License-Identifier: MIT
#include "newmessagesbutton.h"

#include <QStyle>

NewMessagesButton::NewMessagesButton(QWidget *parent) : QToolButton(parent)
{
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    setIcon(style()->standardIcon(QStyle::SP_ArrowDown));
    setCursor(Qt::ArrowCursor);
    setFocusPolicy(Qt::NoFocus); // Ctrl+End does the same from the keyboard
    setAccessibleName(tr("Jump to the newest message"));
    hide();
}

void NewMessagesButton::setCount(int count)
{
    if (count > 0) {
        setText(tr("%n new message(s)", nullptr, count));
        place();
    }
    setVisible(count > 0);
}

void NewMessagesButton::place()
{
    const QWidget *area = parentWidget();
    const int margin = fontMetrics().height() / 2;
    const QSize size = sizeHint();
    setGeometry(area->width() - size.width() - margin, area->height() - size.height() - margin, size.width(),
                size.height());
}
