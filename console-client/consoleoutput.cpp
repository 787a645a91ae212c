// SPDX-License-Identifier: MIT
#include "consoleoutput.h"

#include "eventtext.h"
#include "timestamp.h"

#include <QCoreApplication>

#include <cstdio>

#include <unistd.h>

using namespace Qt::StringLiterals;

ConsoleOutput::ConsoleOutput(bool json)
    : m_json(json)
    , m_stdoutStyle(TerminalStyle::forFileDescriptor(1))
    , m_stderrStyle(TerminalStyle::forFileDescriptor(2))
    , m_terminal(!json && ::isatty(1) == 1)
{}

QString ConsoleOutput::stamped(const QString &text)
{
    return EventText::stamped(Timestamp::now(), text);
}

void ConsoleOutput::event(const QString &line, TerminalStyle::Role role)
{
    const int fd = m_json ? 2 : 1;
    const TerminalStyle &style = m_json ? m_stderrStyle : m_stdoutStyle;
    writeLine(fd, style.apply(line, role));
}

void ConsoleOutput::system(const QString &text)
{
    event(stamped(text), TerminalStyle::Role::System);
}

void ConsoleOutput::error(const QString &text)
{
    writeLine(2, m_stderrStyle.apply(stamped(text), TerminalStyle::Role::Error));
}

void ConsoleOutput::fatal(const QString &text)
{
    write(2, m_stderrStyle.apply(QCoreApplication::applicationName() + u": "_s + text, TerminalStyle::Role::Error) +
                 u'\n');
}

void ConsoleOutput::frame(const QByteArray &line)
{
    QByteArray bytes = line;
    bytes.append('\n');
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void ConsoleOutput::prompt(const QString &text)
{
    write(m_json ? 2 : 1, text);
    m_promptOpen = true;
}

void ConsoleOutput::promptAnswered(bool echoed)
{
    if (!m_promptOpen)
        return;
    m_promptOpen = false;
    // A terminal echoed the answer and its Enter; a pipe did not, and the
    // next line would otherwise glue onto the prompt.
    if (!echoed)
        write(m_json ? 2 : 1, u"\n"_s);
}

void ConsoleOutput::setChatPrompt(const QString &text)
{
    const QString next = m_terminal ? text : QString();
    if (next == m_chatPrompt)
        return;
    if (m_chatPromptShown)
        write(1, u"\r\x1b[K"_s);
    m_chatPromptShown = false;
    m_chatPrompt = next;
    chatLineEntered();
}

void ConsoleOutput::chatLineEntered()
{
    if (m_chatPrompt.isEmpty())
        return;
    write(1, m_chatPrompt);
    m_chatPromptShown = true;
}

void ConsoleOutput::writeLine(int fd, const QString &line)
{
    if (!m_chatPromptShown) {
        write(fd, line + u'\n');
        return;
    }
    // Over the prompt's line, then the prompt below it again.
    write(1, u"\r\x1b[K"_s);
    write(fd, line + u'\n');
    write(1, m_chatPrompt);
}

void ConsoleOutput::write(int fd, const QString &text)
{
    FILE *stream = fd == 2 ? stderr : stdout;
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}
