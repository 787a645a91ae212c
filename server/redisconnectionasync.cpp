// SPDX-License-Identifier: MIT
// RedisConnection's pipelines whose replies are read as they arrive, on the
// event loop, rather than waited for (issue #16: the room's thread does not
// block on the pipeline of a batch's posts). The pattern is StreamReader's:
// write the commands, then read when a QSocketNotifier says the replies are
// there (redisBufferRead once, then every complete reply), with a watchdog
// for a Redis that stops answering without closing the connection.
#include "redisconnection.h"

#include "replywatch.h"

#include <QLoggingCategory>

#include <hiredis/hiredis.h>

#include <poll.h>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace {
// The watch may say so late: a synchronous read since may have taken the
// bytes, and on a blocking socket redisBufferRead would then wait.
bool readable(int fd)
{
    pollfd probe{fd, POLLIN, 0};
    return ::poll(&probe, 1, 0) > 0;
}
} // namespace

void RedisConnection::resetContext()
{
    // It may be inside its own notification: Qt deletes it later.
    if (m_watch)
        m_watch.release()->dispose();
    m_context.reset();
}

bool RedisConnection::sendPipeline(const QList<QList<QByteArray>> &commands, ResultsDone done)
{
    if (commands.isEmpty())
        return false;
    isConnected(); // drops a connection Redis closed, so the commands go on a new one
    if (!ensureConnected())
        return false;
    for (const QList<QByteArray> &arguments : commands) {
        if (!appendCommand(arguments))
            return false; // only buffered: nothing went out
    }
    m_sendError.clear();
    int written = 0;
    while (!written) {
        if (redisBufferWrite(m_context.get(), &written) == REDIS_ERR) {
            // Some may have gone out and been carried out: they are not sent
            // again, but failed from the event loop like a timeout.
            m_sendError = u"lost the connection to %1: %2"_s.arg(serverName(), QString::fromUtf8(m_context->errstr));
            break;
        }
    }
    if (!m_watch) {
        m_watch = std::make_unique<ReplyWatch>(
            m_context->fd, kCommandTimeoutMsecs, [this] { readPending(); }, [this] { watchTimedOut(); });
    }
    m_sent.push_back(SentPipeline{commands.size(), {}, std::move(done), std::nullopt});
    m_sent.back().results.reserve(commands.size());
    m_watch->await();
    if (!m_sendError.isEmpty())
        m_watch->expireNow();
    return true;
}

void RedisConnection::readPending()
{
    if (!m_context || m_sent.empty() || !readable(m_context->fd))
        return;
    if (redisBufferRead(m_context.get()) == REDIS_ERR) {
        fail(u"lost the connection to %1: %2"_s.arg(serverName(), QString::fromUtf8(m_context->errstr)));
        return;
    }
    // A `done` may send or finish pipelines itself: looked at again each time.
    while (m_context && !m_sent.empty()) {
        void *raw = nullptr;
        if (redisGetReplyFromReader(m_context.get(), &raw) != REDIS_OK) {
            fail(u"unreadable reply from %1: %2"_s.arg(serverName(), QString::fromUtf8(m_context->errstr)));
            return;
        }
        if (!raw)
            break; // the rest has not come yet
        takeReply(raw);
    }
    if (!m_watch)
        return;
    if (m_sent.empty())
        m_watch->idle();
    else
        m_watch->await(); // it answers: the watchdog starts again
}

void RedisConnection::takeReply(void *raw)
{
    auto *reply = static_cast<redisReply *>(raw);
    RedisReply copy = RedisReply::from(*reply);
    freeReplyObject(reply);
    SentPipeline &first = m_sent.front();
    if (isReadOnly(copy) && !first.readOnly)
        first.readOnly = u"%1: %2"_s.arg(serverName(), QString::fromUtf8(copy.string));
    first.results.append(std::move(copy));
    if (first.results.size() < first.count)
        return;
    SentPipeline complete = std::move(first);
    m_sent.pop_front();
    complete.done(complete.results);
    // A demoted primary, as pipeline(): once every reply of it is read, and
    // after its answer, so answers keep the order of the pipelines.
    if (complete.readOnly)
        fail(*complete.readOnly);
}

void RedisConnection::finishPending()
{
    while (m_context && !m_sent.empty()) {
        void *raw = nullptr;
        if (redisGetReply(m_context.get(), &raw) != REDIS_OK || !raw) {
            // An I/O error or the command timeout, as pipeline().
            fail(u"lost the connection to %1: %2"_s.arg(serverName(), QString::fromUtf8(m_context->errstr)));
            return;
        }
        takeReply(raw);
    }
    if (!m_sent.empty())
        failPending(m_lastError);
    if (m_watch)
        m_watch->idle();
}

void RedisConnection::watchTimedOut()
{
    const QString why = !m_sendError.isEmpty()
                            ? m_sendError
                            : u"%1 did not answer within %2 ms"_s.arg(serverName()).arg(kCommandTimeoutMsecs);
    m_sendError.clear();
    // As a synchronous command's timeout: the connection cannot be trusted
    // to answer in order any more; the next command connects again.
    fail(why);
}

void RedisConnection::failPending(const QString &why)
{
    if (m_sent.empty())
        return;
    std::deque<SentPipeline> sent = std::exchange(m_sent, {});
    if (m_watch)
        m_watch->idle();
    qCInfo(lcRedis).noquote() << sent.size() << "pipelines sent are failed:" << why;
    for (SentPipeline &pipeline : sent) {
        while (pipeline.results.size() < pipeline.count)
            pipeline.results.append(why);
        pipeline.done(pipeline.results);
    }
}
