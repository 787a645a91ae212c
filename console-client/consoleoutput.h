// SPDX-License-Identifier: MIT
#pragma once

#include "terminalstyle.h"

#include <QByteArray>
#include <QString>

// Where chat-console's lines go. Chat and system lines go to stdout; errors
// to stderr. With --json, stdout carries only the raw frames (one JSON object
// per line) and every human line goes to stderr, so scripts can parse stdout.
// Every line is written and flushed at once: a pipe reader sees it immediately.
class ConsoleOutput final
{
public:
    explicit ConsoleOutput(bool json);

    bool isJson() const { return m_json; }

    // A line that already carries its time ("[22:00] <alice> hi").
    void event(const QString &line, TerminalStyle::Role role = TerminalStyle::Role::Plain);
    // A line from chat-console itself; gets the local time in front.
    void system(const QString &text);
    // Something went wrong; gets the local time in front, goes to stderr.
    void error(const QString &text);
    // A fatal problem before exiting: "chat-console: ..." on stderr.
    void fatal(const QString &text);
    // A raw frame from the server (--json).
    void frame(const QByteArray &line);
    // A question without a line ending, e.g. "Nickname: ".
    void prompt(const QString &text);
    // The answer to the prompt was read; `echoed` when a terminal showed it.
    void promptAnswered(bool echoed);

    // The prompt while chatting ("#dev> "), kept at the bottom of a terminal:
    // a line that arrives erases it, is written, and shows it again. Only
    // when stdout is a terminal (not with --json); empty: none.
    void setChatPrompt(const QString &text);
    // The user ended a line (the terminal moved past the prompt): show it again.
    void chatLineEntered();

    static QString stamped(const QString &text);

private:
    void write(int fd, const QString &text);
    void writeLine(int fd, const QString &line);

    bool m_json;
    TerminalStyle m_stdoutStyle;
    TerminalStyle m_stderrStyle;
    bool m_promptOpen = false;
    bool m_terminal; // stdout is a terminal
    QString m_chatPrompt;
    bool m_chatPromptShown = false;
};
