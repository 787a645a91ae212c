// SPDX-License-Identifier: MIT
#pragma once

#include "inputhistory.h"
#include "tabcompleter.h"

#include <QPlainTextEdit>

#include <functional>

// The message box: Enter sends, Shift+Enter starts a new line, Up/Down
// recall what was sent (100 entries), Tab completes nicknames and commands,
// PageUp/PageDown scroll the conversation. It grows with its text up to a
// few lines. Pasting more than one message can hold asks first.
class ChatInput final : public QPlainTextEdit
{
    Q_OBJECT

public:
    // Asked before a paste that would make the text longer than the server
    // accepts; gets the resulting length, returns true to paste anyway.
    using PasteConfirmation = std::function<bool(int resultingLength)>;

    static constexpr int kMaxVisibleLines = 6;

    explicit ChatInput(QWidget *parent = nullptr);
    ~ChatInput() override;

    QString text() const;
    // Replaces the text, cursor at the end (undo still works).
    void setText(const QString &text);
    // Adds "nick: " at the start of an empty line, or "nick " at the cursor.
    void insertNick(const QString &nick);

    void setNicks(const QStringList &nicks);
    void setSelf(const QString &nick);

    // The window accepted what submitted() carried: record it and clear.
    void acceptSubmission();

    void setPasteConfirmation(PasteConfirmation confirm);

    InputHistory &history() { return m_history; }
    TabCompleter &completer() { return m_completer; }

    // Length as the server counts it (code points).
    static int lengthOf(const QString &text);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void submitted(const QString &text);
    void lengthChanged(int length);
    // PageUp/PageDown: scroll the conversation, not the input.
    void pageRequested(bool up);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void insertFromMimeData(const QMimeData *source) override;
    void changeEvent(QEvent *event) override;

private:
    bool recallPrevious();
    bool recallNext();
    bool completeWord(bool backward);
    bool cursorOnFirstLine() const;
    int heightForLines(int lines) const;
    void onTextChanged();

    InputHistory m_history;
    TabCompleter m_completer;
    PasteConfirmation m_confirmPaste;
    // Set while we change the text ourselves, so it does not count as editing.
    bool m_programmatic = false;
    QString m_recalled;
};
