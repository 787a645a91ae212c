// SPDX-License-Identifier: MIT
#include "terminalstyle.h"

#include <QtGlobal>

#include <unistd.h>

using namespace Qt::StringLiterals;

TerminalStyle::TerminalStyle(bool colour) : m_colour(colour)
{}

TerminalStyle TerminalStyle::forFileDescriptor(int fd)
{
    // Set but empty counts too: whoever sets NO_COLOR means it.
    if (qEnvironmentVariableIsSet("NO_COLOR"))
        return TerminalStyle(false);
    if (qgetenv("TERM") == "dumb")
        return TerminalStyle(false);
    return TerminalStyle(::isatty(fd) == 1);
}

QString TerminalStyle::apply(const QString &text, Role role) const
{
    if (!m_colour)
        return text;
    QString start;
    switch (role) {
    case Role::Plain:
        return text;
    case Role::Own:
        start = u"\x1b[1m"_s; // bold
        break;
    case Role::Whisper:
        start = u"\x1b[35m"_s; // magenta
        break;
    case Role::System:
        start = u"\x1b[36m"_s; // cyan
        break;
    case Role::Error:
        start = u"\x1b[1;31m"_s; // bold red
        break;
    }
    return start + text + u"\x1b[0m"_s;
}
