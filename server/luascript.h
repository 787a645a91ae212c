// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

#include <functional>

// A Lua script the server runs in Redis, read once from the files in
// server/lua/, which are compiled in as Qt resources. Its parts are put one
// after the other (a part before the script defines what it uses).
//
// It runs as a Redis 7 function (FCALL), not with EVAL: a post then sends
// the function's name instead of the script's text, and Redis neither
// receives nor hashes that text again. Each script is a library of its own,
// named after the SHA-1 of its text, so instances of different versions
// sharing one Redis never replace each other's code. A Redis that does not
// have it yet (new, restarted without its data, FUNCTION FLUSH) is given it
// on the first call that finds it missing.
class LuaScript final
{
public:
    // `parts`: file names in server/lua/ without ".lua". A part that is not
    // compiled in is a mistake in the build: the server stops, saying which.
    explicit LuaScript(const QStringList &parts);

    const QByteArray &source() const { return m_source; }
    // The function's (and its library's) name in Redis: qtchat_ and 16 hex digits.
    const QByteArray &name() const { return m_name; }
    // What FUNCTION LOAD is given.
    const QByteArray &library() const { return m_library; }

    // FCALL with these keys and arguments; loads the library first when
    // Redis does not know the function, then calls once more.
    RedisConnection::Result call(RedisConnection &redis, const QList<QByteArray> &keys,
                                 const QList<QByteArray> &arguments) const;

    // One invocation of the script: its keys and arguments.
    struct Invocation {
        QList<QByteArray> keys;
        QList<QByteArray> arguments;
    };
    // Each invocation as call() does, all pipelined (one round trip), one
    // Result each, in order. Those Redis answers "Function not found" are
    // sent again, pipelined, after one FUNCTION LOAD.
    QList<RedisConnection::Result> callAll(RedisConnection &redis, const QList<Invocation> &invocations) const;
    // callAll() without waiting for the replies (RedisConnection::sendPipeline):
    // false when nothing was sent. The rare "Function not found" is loaded
    // and sent again synchronously, inside the completion, before `done`.
    // The script must outlive the call of `done`.
    bool startCallAll(RedisConnection &redis, const QList<Invocation> &invocations,
                      RedisConnection::ResultsDone done) const;

    // FUNCTION LOAD of the library; one already loaded (by another instance
    // of the same version) is as good.
    RedisConnection::Result load(RedisConnection &redis) const;
    // load() of each of `scripts` without waiting, one pipeline: a call sent
    // after it on the same connection finds them loaded (Redis answers in
    // order). `done` gets the first real failure, empty when none.
    static bool startLoad(RedisConnection &redis, const QList<const LuaScript *> &scripts,
                          std::function<void(const QString &error)> done);

private:
    // The commands of callAll() whose results said "Function not found",
    // loaded and sent again (pipelined), their results put in place.
    void retryNotFound(RedisConnection &redis, const QList<QList<QByteArray>> &commands,
                       QList<RedisConnection::Result> &results) const;
    QList<QByteArray> fcall(const QList<QByteArray> &keys, const QList<QByteArray> &arguments) const;
    static bool isNotFound(const RedisConnection::Result &result);
    // A FUNCTION LOAD's answer that the library exists (loaded by another
    // instance of the same version): as good as loaded.
    static bool isAlreadyLoaded(const RedisConnection::Result &result);

    QByteArray m_source;
    QByteArray m_name;
    QByteArray m_library;
};
