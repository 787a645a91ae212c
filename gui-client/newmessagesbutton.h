// SPDX-License-Identifier: MIT
#pragma once

#include <QToolButton>

// "3 new messages ↓" in the bottom right corner of the conversation while
// the user reads further up; hidden when there is nothing new below.
class NewMessagesButton final : public QToolButton
{
    Q_OBJECT

public:
    explicit NewMessagesButton(QWidget *parent);

    void setCount(int count);
    // Keeps it in the corner of its parent (call after the parent resized).
    void place();
};
