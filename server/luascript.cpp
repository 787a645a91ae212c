// SPDX-License-Identifier: MIT
#include "luascript.h"

#include <QCryptographicHash>
#include <QFile>

using namespace Qt::StringLiterals;

namespace {
// Hex digits of the SHA-1 in a name: 64 bits tell the scripts of any number
// of versions apart.
constexpr qsizetype kNameHashDigits = 16;
// Redis's answers (7.0) that the code, not the call, is at fault here.
constexpr QByteArrayView kFunctionNotFound = "ERR Function not found";
constexpr QByteArrayView kLibraryExists = "ERR Library '";
} // namespace

LuaScript::LuaScript(const QStringList &parts)
{
    for (const QString &part : parts) {
        QFile file(u":/qtchat/lua/%1.lua"_s.arg(part));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("The Lua script %s.lua is not compiled into the server: list it in server/CMakeLists.txt",
                   qPrintable(part));
        m_source += file.readAll();
        m_source += '\n';
    }
    m_name = "qtchat_" + QCryptographicHash::hash(m_source, QCryptographicHash::Sha1).toHex().left(kNameHashDigits);
    // The scripts read KEYS and ARGV as EVAL gives them; a function gets
    // them as its two arguments, so those are named the same.
    m_library = "#!lua name=" + m_name + "\nredis.register_function('" + m_name + "', function(KEYS, ARGV)\n" +
                m_source + "end)\n";
}

RedisConnection::Result LuaScript::load(RedisConnection &redis) const
{
    RedisConnection::Result loaded = redis.command({"FUNCTION", "LOAD", m_library});
    if (isAlreadyLoaded(loaded))
        return RedisReply{};
    return loaded;
}

bool LuaScript::isAlreadyLoaded(const RedisConnection::Result &result)
{
    // Loaded meanwhile by another instance running the same version.
    const auto *reply = std::get_if<RedisReply>(&result);
    return reply && reply->isError() && reply->string.startsWith(kLibraryExists) &&
           reply->string.endsWith("already exists");
}

bool LuaScript::startLoad(RedisConnection &redis, const QList<const LuaScript *> &scripts,
                          std::function<void(const QString &error)> done)
{
    QList<QList<QByteArray>> commands;
    for (const LuaScript *script : scripts)
        commands.append({"FUNCTION", "LOAD", script->m_library});
    return redis.sendPipeline(commands, [done = std::move(done)](const QList<RedisConnection::Result> &results) {
        for (const RedisConnection::Result &result : results) {
            if (const QString error = RedisConnection::errorOf(result); !error.isEmpty() && !isAlreadyLoaded(result)) {
                done(error);
                return;
            }
        }
        done({});
    });
}

QList<QByteArray> LuaScript::fcall(const QList<QByteArray> &keys, const QList<QByteArray> &arguments) const
{
    QList<QByteArray> command{"FCALL", m_name, QByteArray::number(keys.size())};
    command += keys;
    command += arguments;
    return command;
}

bool LuaScript::isNotFound(const RedisConnection::Result &result)
{
    const auto *reply = std::get_if<RedisReply>(&result);
    return reply && reply->isError() && reply->string.startsWith(kFunctionNotFound);
}

RedisConnection::Result LuaScript::call(RedisConnection &redis, const QList<QByteArray> &keys,
                                        const QList<QByteArray> &arguments) const
{
    const QList<QByteArray> command = fcall(keys, arguments);
    RedisConnection::Result result = redis.command(command);
    if (!isNotFound(result))
        return result;
    RedisConnection::Result loaded = load(redis);
    if (!RedisConnection::errorOf(loaded).isEmpty())
        return loaded;
    return redis.command(command);
}

QList<RedisConnection::Result> LuaScript::callAll(RedisConnection &redis, const QList<Invocation> &invocations) const
{
    QList<QList<QByteArray>> commands;
    commands.reserve(invocations.size());
    for (const Invocation &invocation : invocations)
        commands.append(fcall(invocation.keys, invocation.arguments));
    QList<RedisConnection::Result> results = redis.pipeline(commands);
    retryNotFound(redis, commands, results);
    return results;
}

bool LuaScript::startCallAll(RedisConnection &redis, const QList<Invocation> &invocations,
                             RedisConnection::ResultsDone done) const
{
    QList<QList<QByteArray>> commands;
    commands.reserve(invocations.size());
    for (const Invocation &invocation : invocations)
        commands.append(fcall(invocation.keys, invocation.arguments));
    return redis.sendPipeline(
        commands, [this, &redis, commands, done = std::move(done)](const QList<RedisConnection::Result> &sent) {
            QList<RedisConnection::Result> results = sent;
            retryNotFound(redis, commands, results);
            done(results);
        });
}

void LuaScript::retryNotFound(RedisConnection &redis, const QList<QList<QByteArray>> &commands,
                              QList<RedisConnection::Result> &results) const
{
    QList<qsizetype> missing;
    for (qsizetype i = 0; i < results.size(); ++i) {
        if (isNotFound(results.at(i)))
            missing.append(i);
    }
    if (missing.isEmpty())
        return;
    // Usually all of them (the library is missing for every one); only
    // when another instance loads it in the middle of our pipeline do some
    // succeed before the retried ones, which then run after them.
    const RedisConnection::Result loaded = load(redis);
    if (!RedisConnection::errorOf(loaded).isEmpty()) {
        for (const qsizetype i : std::as_const(missing))
            results[i] = loaded;
        return;
    }
    QList<QList<QByteArray>> again;
    again.reserve(missing.size());
    for (const qsizetype i : std::as_const(missing))
        again.append(commands.at(i));
    const QList<RedisConnection::Result> retried = redis.pipeline(again);
    for (qsizetype n = 0; n < missing.size(); ++n)
        results[missing.at(n)] = retried.at(n);
}
