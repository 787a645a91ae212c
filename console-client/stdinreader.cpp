// SPDX-License-Identifier: MIT
#include "stdinreader.h"

#include <QLoggingCategory>
#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcStdin, "qtchat.console.stdin", QtWarningMsg)

namespace {

constexpr int kStdinFd = 0;
constexpr qsizetype kReadChunkBytes = 64 * 1024;
// A "line" without LF this long is cut and handed on (it will be refused as
// too long), so a stream without line endings cannot use unbounded memory.
constexpr qsizetype kMaxLineBytes = 1024 * 1024;

} // namespace

StdinReader::StdinReader(QObject *parent) : QObject(parent)
{}

bool StdinReader::isTerminal()
{
    return ::isatty(kStdinFd) == 1;
}

void StdinReader::start()
{
    if (m_notifier)
        return;
    m_notifier = new QSocketNotifier(kStdinFd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdinReader::readAvailable);
}

void StdinReader::stop()
{
    if (!m_notifier)
        return;
    m_notifier->setEnabled(false);
    m_notifier->deleteLater();
    m_notifier = nullptr;
}

void StdinReader::readAvailable()
{
    char chunk[kReadChunkBytes];
    const ssize_t n = ::read(kStdinFd, chunk, sizeof chunk);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return;
        qCWarning(lcStdin) << "cannot read stdin:" << strerror(errno);
        finish();
        return;
    }
    if (n == 0) {
        finish();
        return;
    }
    m_buffer.append(chunk, n);
    emitLines();
}

void StdinReader::emitLines()
{
    for (;;) {
        qsizetype end = m_buffer.indexOf('\n');
        if (end < 0 && m_buffer.size() < kMaxLineBytes)
            return;
        if (end < 0)
            end = m_buffer.size();
        QByteArray line = m_buffer.left(end);
        m_buffer.remove(0, end + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        emit lineRead(QString::fromUtf8(line));
        // A handler may have stopped the reader.
        if (!m_notifier)
            return;
    }
}

void StdinReader::finish()
{
    if (m_atEnd)
        return;
    m_atEnd = true;
    stop();
    // The last line may lack its LF.
    if (!m_buffer.isEmpty()) {
        QByteArray line = m_buffer;
        m_buffer.clear();
        if (line.endsWith('\r'))
            line.chop(1);
        emit lineRead(QString::fromUtf8(line));
    }
    emit finished();
}
