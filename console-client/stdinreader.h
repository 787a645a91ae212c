// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

// Reads stdin line by line without blocking the event loop, whether it is a
// terminal, a pipe, a file or /dev/null: a notifier on file descriptor 0 and
// plain read(2), so end of input is seen exactly once, even from a pipe.
class StdinReader final : public QObject
{
    Q_OBJECT

public:
    explicit StdinReader(QObject *parent = nullptr);

    void start();
    // Stops reading (the session is ending); no more signals.
    void stop();
    bool isAtEnd() const { return m_atEnd; }
    static bool isTerminal();

signals:
    // One line, without its line ending (LF or CRLF), decoded as UTF-8.
    void lineRead(const QString &line);
    // End of input (or an unreadable stdin); emitted once, after the last line.
    void finished();

private:
    void readAvailable();
    void emitLines();
    void finish();

    QSocketNotifier *m_notifier = nullptr;
    QByteArray m_buffer;
    bool m_atEnd = false;
};
