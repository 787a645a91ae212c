// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

// How a line looks on one output stream: ANSI colours only when that stream
// is a terminal, TERM is not "dumb" and NO_COLOR is not set at all
// (https://no-color.org); plain text everywhere else, so pipes, files and
// scripts never see escape sequences.
class TerminalStyle final
{
public:
    enum class Role { Plain, Own, Whisper, System, Error };

    explicit TerminalStyle(bool colour);
    // The decision for a file descriptor (1 = stdout, 2 = stderr).
    static TerminalStyle forFileDescriptor(int fd);

    bool hasColour() const { return m_colour; }
    QString apply(const QString &text, Role role) const;

private:
    bool m_colour;
};
