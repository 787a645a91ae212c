// SPDX-License-Identifier: MIT
#include "pendingconnect.h"

#include <QByteArray>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
struct AddressInfoDeleter {
    void operator()(addrinfo *info) const { freeaddrinfo(info); }
};

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

bool setBlocking(int fd, bool blocking)
{
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0)
        return false;
    return ::fcntl(fd, F_SETFL, blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK) == 0;
}
} // namespace

PendingConnect::PendingConnect(const QString &host, quint16 port, int timeoutMsecs) : m_timeoutMsecs(timeoutMsecs)
{
    m_started.start();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    const QByteArray name = host.toUtf8();
    const QByteArray service = QByteArray::number(port);
    if (const int status = ::getaddrinfo(name.constData(), service.constData(), &hints, &found); status != 0) {
        fail(QString::fromLocal8Bit(::gai_strerror(status)));
        return;
    }
    const std::unique_ptr<addrinfo, AddressInfoDeleter> addresses(found);
    // The first address that takes the connect; one refused at once (say
    // ::1 when Redis listens on IPv4 only) gives way to the next.
    QString lastError = u"no address"_s;
    for (const addrinfo *address = addresses.get(); address; address = address->ai_next) {
        const int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
        if (fd < 0) {
            lastError = systemError(errno);
            continue;
        }
        if (!setBlocking(fd, false)) {
            lastError = systemError(errno);
            ::close(fd);
            continue;
        }
        if (::connect(fd, address->ai_addr, address->ai_addrlen) == 0 || errno == EINPROGRESS) {
            m_fd = fd;
            return;
        }
        lastError = systemError(errno);
        ::close(fd);
    }
    fail(lastError);
}

PendingConnect::~PendingConnect()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

PendingConnect::State PendingConnect::poll(int waitMsecs)
{
    if (m_state != State::InProgress)
        return m_state;
    // Never past the timeout.
    const qint64 left = std::max<qint64>(0, m_timeoutMsecs - m_started.elapsed());
    pollfd probe{m_fd, POLLOUT, 0};
    const int ready = ::poll(&probe, 1, int(std::min<qint64>(waitMsecs, left)));
    if (ready < 0 && errno != EINTR) {
        fail(systemError(errno));
        return m_state;
    }
    if (ready <= 0) {
        if (m_started.elapsed() >= m_timeoutMsecs)
            fail(u"timed out after %1 ms"_s.arg(m_timeoutMsecs));
        return m_state;
    }
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
        error = errno;
    if (error != 0) {
        fail(systemError(error));
        return m_state;
    }
    // hiredis's blocking context (with its own timeouts) takes it from here.
    if (!setBlocking(m_fd, true)) {
        fail(systemError(errno));
        return m_state;
    }
    m_state = State::Connected;
    return m_state;
}

int PendingConnect::takeSocket()
{
    if (m_state != State::Connected)
        return -1;
    const int fd = m_fd;
    m_fd = -1;
    return fd;
}

void PendingConnect::fail(const QString &why)
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_state = State::Failed;
    m_error = why;
}
