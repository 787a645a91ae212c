// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QStringList>

// A Lua script the server runs in Redis with EVAL, read once from the files
// in server/lua/, which are compiled in as Qt resources. Its parts are put
// one after the other (a part before the script defines what it uses).
class LuaScript final
{
public:
    // `parts`: file names in server/lua/ without ".lua". A part that is not
    // compiled in is a mistake in the build: the server stops, saying which.
    explicit LuaScript(const QStringList &parts);

    const QByteArray &source() const { return m_source; }

private:
    QByteArray m_source;
};
