// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QPointer>
#include <QWidget>

class MessageLogModel;
class MessageView;
class QLabel;
class QLineEdit;
class QToolButton;

// Ctrl+F: finds text in the scrollback. Matches are highlighted in the
// view; Enter (or F3) goes to the next older match, Shift+Enter (Shift+F3)
// to the next newer one, Escape closes. The search starts at the newest
// message, since that is usually what one is looking for in a chat.
class FindBar final : public QWidget
{
    Q_OBJECT

public:
    explicit FindBar(MessageView *view, QWidget *parent = nullptr);
    ~FindBar() override;

    // Shows the bar and focuses the search field (selecting its text).
    void activate();
    // Hides the bar and removes the highlights.
    void deactivate();

    void findOlder();
    void findNewer();
    // The view shows another conversation: search that one from now on.
    void followViewModel();

    QString term() const;
    int matchCount() const { return int(m_matches.size()); }
    // The row of the current match, or -1.
    int currentRow() const;

signals:
    void closed();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void search();
    void rescanIfStale();
    // Finds the matching rows; the match with `keepSerial` becomes current again.
    void collect(quint64 keepSerial);
    void go(int matchIndex);
    void updateStatus();

    MessageView *m_view;
    QPointer<MessageLogModel> m_model;
    QLineEdit *m_field;
    QToolButton *m_olderButton;
    QToolButton *m_newerButton;
    QToolButton *m_closeButton;
    QLabel *m_status;
    QList<quint64> m_matches; // row serials, oldest first
    int m_current = -1;
    bool m_stale = false;
};
