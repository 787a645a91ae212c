// SPDX-License-Identifier: MIT
#include "chatinput.h"

#include "commandparser.h"

#include "guilogging.h"
#include "protocol.h"

#include <QAbstractTextDocumentLayout>
#include <QKeyEvent>
#include <QLocale>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

ChatInput::ChatInput(QWidget *parent) : QPlainTextEdit(parent)
{
    setAccessibleName(tr("Message"));
    setAccessibleDescription(tr("Enter sends, Shift+Enter starts a new line, Up and Down recall sent messages, "
                                "Tab completes nicknames and commands."));
    setPlaceholderText(tr("Write a message… (Enter sends, Shift+Enter for a new line)"));
    setTabChangesFocus(false);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_confirmPaste = [this](int length) {
        const QLocale locale;
        const auto answer = QMessageBox::warning(
            this, tr("Long Text"),
            tr("The text you are pasting makes the message %1 characters long, but the server accepts at most %2 "
               "characters in one message.\n\nPaste it anyway? You can then shorten it or send it in parts.")
                .arg(locale.toString(length), locale.toString(Protocol::kMaxTextLength)),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        return answer == QMessageBox::Yes;
    };

    connect(this, &QPlainTextEdit::textChanged, this, &ChatInput::onTextChanged);
    connect(document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
            [this] { updateGeometry(); });
}

ChatInput::~ChatInput() = default;

QString ChatInput::text() const
{
    return toPlainText();
}

void ChatInput::setText(const QString &text)
{
    m_programmatic = true;
    QTextCursor cursor = textCursor();
    cursor.select(QTextCursor::Document);
    cursor.insertText(text);
    setTextCursor(cursor);
    m_programmatic = false;
    ensureCursorVisible();
}

void ChatInput::insertNick(const QString &nick)
{
    if (text().isEmpty()) {
        setText(nick + u": "_s);
    } else {
        QTextCursor cursor = textCursor();
        const int position = cursor.position();
        const bool needsSpaceBefore = position > 0 && !text().at(position - 1).isSpace();
        cursor.insertText((needsSpaceBefore ? u" "_s : QString()) + nick + u' ');
        setTextCursor(cursor);
    }
    setFocus(Qt::OtherFocusReason);
}

void ChatInput::setNicks(const QStringList &nicks)
{
    m_completer.setNicks(nicks);
}

void ChatInput::setSelf(const QString &nick)
{
    m_completer.setSelf(nick);
}

void ChatInput::acceptSubmission()
{
    // A password must not come back with the Up key for whoever sits here next.
    if (!CommandParser::request<Protocol::Op>(CommandParser::parse(text())))
        m_history.add(text());
    m_programmatic = true;
    clear();
    m_programmatic = false;
    m_recalled.clear();
    m_completer.reset();
}

void ChatInput::setPasteConfirmation(PasteConfirmation confirm)
{
    m_confirmPaste = std::move(confirm);
}

int ChatInput::lengthOf(const QString &text)
{
    // Code points, like the server counts: a surrogate pair is one character.
    return int(std::count_if(text.cbegin(), text.cend(), [](QChar c) { return !c.isLowSurrogate(); }));
}

QSize ChatInput::sizeHint() const
{
    const int lines = std::clamp(int(document()->documentLayout()->documentSize().height()), 1, kMaxVisibleLines);
    return {QPlainTextEdit::sizeHint().width(), heightForLines(lines)};
}

QSize ChatInput::minimumSizeHint() const
{
    return {QPlainTextEdit::minimumSizeHint().width(), heightForLines(1)};
}

int ChatInput::heightForLines(int lines) const
{
    const QMargins margins = contentsMargins();
    const int documentMargin = int(std::ceil(document()->documentMargin()));
    return lines * fontMetrics().lineSpacing() + 2 * documentMargin + margins.top() + margins.bottom() +
           2 * frameWidth();
}

void ChatInput::keyPressEvent(QKeyEvent *event)
{
    const Qt::KeyboardModifiers modifiers = event->modifiers() & ~Qt::KeypadModifier;
    const int key = event->key();

    if (key != Qt::Key_Tab && key != Qt::Key_Backtab)
        m_completer.reset();

    switch (key) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (modifiers & Qt::ShiftModifier) {
            insertPlainText(u"\n"_s);
            return;
        }
        if (modifiers == Qt::NoModifier) {
            if (!text().trimmed().isEmpty())
                emit submitted(text());
            return;
        }
        break;
    case Qt::Key_Tab:
        if (modifiers & Qt::ControlModifier) {
            event->ignore(); // the window's shortcut: next or previous room
            return;
        }
        // Even with nothing to complete the focus stays (as in HexChat and
        // Quassel): people press Tab and type on, and those keys must not
        // land in the conversation. F6 leaves the box.
        completeWord(false);
        return;
    case Qt::Key_Backtab:
        if (modifiers & Qt::ControlModifier) {
            event->ignore();
            return;
        }
        completeWord(true);
        return;
    case Qt::Key_Up:
        if (modifiers == Qt::NoModifier && recallPrevious())
            return;
        break;
    case Qt::Key_Down:
        if (modifiers == Qt::NoModifier && recallNext())
            return;
        break;
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
        if (modifiers == Qt::NoModifier) {
            emit pageRequested(key == Qt::Key_PageUp);
            return;
        }
        break;
    default:
        break;
    }
    QPlainTextEdit::keyPressEvent(event);
}

bool ChatInput::recallPrevious()
{
    // Inside a multi-line draft, Up moves between its lines first.
    const bool browsingUnchanged = m_history.isBrowsing() && text() == m_recalled;
    if (!browsingUnchanged && !cursorOnFirstLine())
        return false;
    if (!browsingUnchanged)
        m_history.stopBrowsing();
    const std::optional<QString> entry = m_history.previous(text());
    if (!entry)
        return m_history.isBrowsing(); // at the oldest entry: stay put
    m_recalled = *entry;
    setText(*entry);
    return true;
}

bool ChatInput::recallNext()
{
    const bool browsingUnchanged = m_history.isBrowsing() && text() == m_recalled;
    if (!browsingUnchanged)
        return false;
    const std::optional<QString> entry = m_history.next();
    if (!entry)
        return false;
    m_recalled = m_history.isBrowsing() ? *entry : QString();
    setText(*entry);
    return true;
}

bool ChatInput::completeWord(bool backward)
{
    const std::optional<TabCompleter::Completion> completion =
        m_completer.complete(text(), textCursor().position(), backward);
    if (!completion)
        return false;
    setText(completion->text);
    QTextCursor cursor = textCursor();
    cursor.setPosition(completion->cursor);
    setTextCursor(cursor);
    qCDebug(lcGuiInput) << "completed to" << completion->text;
    return true;
}

bool ChatInput::cursorOnFirstLine() const
{
    const QTextCursor cursor = textCursor();
    if (cursor.block() != document()->firstBlock())
        return false;
    const QTextLayout *layout = cursor.block().layout();
    return !layout || layout->lineCount() == 0 ||
           layout->lineForTextPosition(cursor.positionInBlock()).lineNumber() == 0;
}

void ChatInput::insertFromMimeData(const QMimeData *source)
{
    if (source && source->hasText()) {
        const int selected = lengthOf(textCursor().selectedText());
        const int resulting = lengthOf(text()) - selected + lengthOf(source->text());
        if (resulting > Protocol::kMaxTextLength && m_confirmPaste && !m_confirmPaste(resulting)) {
            qCInfo(lcGuiInput) << "paste of" << resulting << "characters declined";
            return;
        }
    }
    QPlainTextEdit::insertFromMimeData(source);
}

void ChatInput::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateGeometry();
}

void ChatInput::onTextChanged()
{
    if (!m_programmatic && text() != m_recalled)
        m_history.stopBrowsing();
    emit lengthChanged(lengthOf(text()));
}
