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
    // Loaded meanwhile by another instance running the same version: as good.
    if (const auto *reply = std::get_if<RedisReply>(&loaded); reply && reply->isError() &&
                                                              reply->string.startsWith(kLibraryExists) &&
                                                              reply->string.endsWith("already exists"))
        return RedisReply{};
    return loaded;
}

RedisConnection::Result LuaScript::call(RedisConnection &redis, const QList<QByteArray> &keys,
                                        const QList<QByteArray> &arguments) const
{
    QList<QByteArray> command{"FCALL", m_name, QByteArray::number(keys.size())};
    command += keys;
    command += arguments;
    RedisConnection::Result result = redis.command(command);
    const auto *reply = std::get_if<RedisReply>(&result);
    if (!reply || !reply->isError() || !reply->string.startsWith(kFunctionNotFound))
        return result;
    RedisConnection::Result loaded = load(redis);
    if (!RedisConnection::errorOf(loaded).isEmpty())
        return loaded;
    return redis.command(command);
}
