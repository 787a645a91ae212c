// SPDX-License-Identifier: MIT
#include "respexchange.h"

#include "socketlook.h"

#include <hiredis/hiredis.h>

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

using namespace Qt::StringLiterals;

namespace {
// What one read takes from the socket: a Sentinel's or ROLE's answer is far smaller.
constexpr std::size_t kReadChunk = 4096;

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QByteArray formatted(const QList<QByteArray> &arguments)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    char *command = nullptr;
    const int length = redisFormatCommandArgv(&command, int(argv.size()), argv.data(), lengths.data());
    if (length < 0)
        return {};
    QByteArray copy(command, length);
    redisFreeCommand(command);
    return copy;
}
} // namespace

void RespExchange::ReaderDeleter::operator()(redisReader *reader) const
{
    redisReaderFree(reader);
}

RespExchange::RespExchange(int fd, const QList<QList<QByteArray>> &commands, int timeoutMsecs)
    : m_fd(fd), m_expected(commands.size()), m_reader(redisReaderCreate()), m_timeoutMsecs(timeoutMsecs)
{
    m_started.start();
    if (!m_reader) {
        fail(u"out of memory"_s);
        return;
    }
    for (const QList<QByteArray> &arguments : commands) {
        const QByteArray command = formatted(arguments);
        if (command.isEmpty()) {
            fail(u"cannot format a command"_s);
            return;
        }
        m_unwritten += command;
    }
    // Usually all of it at once: a new connection's send buffer is empty.
    if (writeSome() && m_expected == 0)
        m_state = State::Done;
}

RespExchange::~RespExchange() = default;

RespExchange::State RespExchange::poll(int waitMsecs)
{
    QElapsedTimer waited;
    waited.start();
    while (m_state == State::InProgress) {
        const short events = short(POLLIN | (m_unwritten.isEmpty() ? 0 : POLLOUT));
        const SocketLook look =
            SocketLook::at(m_fd, events, waitMsecs - waited.elapsed(), m_timeoutMsecs - m_started.elapsed());
        if (look.outcome == SocketLook::Outcome::Failed)
            fail(systemError(look.error));
        else if (look.outcome == SocketLook::Outcome::TimedOut)
            fail(u"no answer within %1 ms"_s.arg(m_timeoutMsecs));
        if (look.outcome != SocketLook::Outcome::Ready)
            break;
        if ((look.revents & POLLOUT) && !writeSome())
            break;
        if ((look.revents & (POLLIN | POLLHUP | POLLERR)) && !readSome())
            break;
    }
    return m_state;
}

bool RespExchange::writeSome()
{
    while (!m_unwritten.isEmpty()) {
        const ssize_t written =
            ::send(m_fd, m_unwritten.constData(), size_t(m_unwritten.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return true; // the rest when poll() says the socket takes it
            fail(systemError(errno));
            return false;
        }
        m_unwritten.remove(0, written);
    }
    return true;
}

bool RespExchange::readSome()
{
    std::array<char, kReadChunk> buffer{};
    const ssize_t got = ::recv(m_fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (got < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
            return true;
        fail(systemError(errno));
        return false;
    }
    if (got == 0) {
        fail(u"the connection was closed"_s);
        return false;
    }
    if (redisReaderFeed(m_reader.get(), buffer.data(), size_t(got)) != REDIS_OK) {
        fail(QString::fromUtf8(m_reader->errstr));
        return false;
    }
    while (m_replies.size() < m_expected) {
        void *raw = nullptr;
        if (redisReaderGetReply(m_reader.get(), &raw) != REDIS_OK) {
            fail(u"unreadable answer: %1"_s.arg(QString::fromUtf8(m_reader->errstr)));
            return false;
        }
        if (!raw)
            return true; // the rest has not come yet
        auto *reply = static_cast<redisReply *>(raw);
        m_replies.append(RedisReply::from(*reply));
        freeReplyObject(reply);
    }
    m_state = State::Done;
    return true;
}

void RespExchange::fail(const QString &why)
{
    m_state = State::Failed;
    m_error = why;
}
