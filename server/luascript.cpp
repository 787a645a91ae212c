// SPDX-License-Identifier: MIT
#include "luascript.h"

#include <QFile>

using namespace Qt::StringLiterals;

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
}
