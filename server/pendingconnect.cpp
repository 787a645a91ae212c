// SPDX-License-Identifier: MIT
#include "pendingconnect.h"

#include "socketlook.h"

#include <QByteArray>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>

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

PendingConnect::Resolved PendingConnect::resolve(const QByteArray &host, const QByteArray &service)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    if (const int status = ::getaddrinfo(host.constData(), service.constData(), &hints, &found); status != 0)
        return QString::fromLocal8Bit(::gai_strerror(status));
    const std::unique_ptr<addrinfo, AddressInfoDeleter> addresses(found);
    std::vector<Address> copies;
    for (const addrinfo *address = addresses.get(); address; address = address->ai_next) {
        Address copy{};
        std::memcpy(&copy.storage, address->ai_addr, address->ai_addrlen);
        copy.length = address->ai_addrlen;
        copy.family = address->ai_family;
        copies.push_back(copy);
    }
    return copies;
}

PendingConnect::PendingConnect(const QString &host, quint16 port, int timeoutMsecs, Resolver resolver)
    : m_timeoutMsecs(timeoutMsecs)
{
    m_started.start();
    const QByteArray name = host.toUtf8();
    const QByteArray service = QByteArray::number(port);
    if (isNumericHost(name)) {
        startWith(resolver(name, service));
        return;
    }
    // A thread of its own, detached: a lookup that hangs (a DNS server
    // that does not answer) must not hold whoever destroys this, and the
    // task's shared state outlives both. Not QThreadPool: its global pool
    // is waited for when the application ends, and QFuture cannot be
    // waited for with a bound in Qt 6.4.
    std::packaged_task<Resolved()> task(
        [resolver = std::move(resolver), name, service] { return resolver(name, service); });
    m_lookup = task.get_future();
    std::thread(std::move(task)).detach();
}

bool PendingConnect::isNumericHost(const QByteArray &host)
{
    in6_addr address{};
    return ::inet_pton(AF_INET, host.constData(), &address) == 1 ||
           ::inet_pton(AF_INET6, host.constData(), &address) == 1;
}

void PendingConnect::startWith(const Resolved &resolved)
{
    if (const auto *error = std::get_if<QString>(&resolved)) {
        fail(*error);
        return;
    }
    m_addresses = std::get<std::vector<Address>>(resolved);
    // The connect's bound starts now: the resolver has its own.
    m_started.start();
    m_lastError = u"no address"_s;
    connectToNext();
}

bool PendingConnect::connectToNext()
{
    closeSocket();
    while (m_next < m_addresses.size()) {
        const Address &address = m_addresses.at(m_next++);
        const int fd = ::socket(address.family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) {
            m_lastError = systemError(errno);
            continue;
        }
        if (::connect(fd, reinterpret_cast<const sockaddr *>(&address.storage), address.length) == 0 ||
            errno == EINPROGRESS) {
            m_fd = fd;
            return true;
        }
        m_lastError = systemError(errno);
        ::close(fd);
    }
    fail(m_lastError);
    return false;
}

PendingConnect::~PendingConnect()
{
    closeSocket();
}

void PendingConnect::closeSocket()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

PendingConnect::State PendingConnect::poll(int waitMsecs)
{
    QElapsedTimer waited;
    waited.start();
    if (m_lookup.valid()) {
        if (m_lookup.wait_for(std::chrono::milliseconds(waitMsecs)) != std::future_status::ready)
            return m_state;
        startWith(m_lookup.get());
    }
    // Until connected, failed, or out of time; an address that refuses
    // gives way to the next within the same call.
    while (m_state == State::InProgress) {
        const SocketLook look =
            SocketLook::at(m_fd, POLLOUT, waitMsecs - waited.elapsed(), m_timeoutMsecs - m_started.elapsed());
        if (look.outcome == SocketLook::Outcome::Failed)
            fail(systemError(look.error));
        else if (look.outcome == SocketLook::Outcome::TimedOut)
            fail(u"timed out after %1 ms"_s.arg(m_timeoutMsecs));
        if (look.outcome != SocketLook::Outcome::Ready)
            break;
        int error = 0;
        socklen_t length = sizeof error;
        if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
            error = errno;
        if (error != 0) {
            // This address refused (or could not be reached): the next one, if any.
            m_lastError = systemError(error);
            connectToNext();
            continue;
        }
        // hiredis's blocking context (with its own timeouts) takes it from here.
        if (!setBlocking(m_fd, true)) {
            fail(systemError(errno));
            break;
        }
        m_state = State::Connected;
    }
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
    closeSocket();
    m_state = State::Failed;
    m_error = why;
}
