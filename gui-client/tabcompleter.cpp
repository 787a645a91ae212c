// SPDX-License-Identifier: MIT
#include "tabcompleter.h"

#include "validation.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QString kAddressSuffix = u": "_s;
const QString kWordSuffix = u" "_s;

// Characters a nickname can contain (see PROTOCOL.md); surrogates count so
// letters outside the BMP are not cut in half.
bool isNickCharacter(QChar c)
{
    return c.isLetterOrNumber() || c.isMark() || c.isSurrogate() || c == u'_' || c == u'-' || c == u'.';
}

} // namespace

TabCompleter::TabCompleter()
{
    m_commands = {u"/help"_s, u"/kick"_s, u"/me"_s,   u"/msg"_s,    u"/mute"_s, u"/nick"_s,
                  u"/op"_s,   u"/quit"_s, u"/slow"_s, u"/unmute"_s, u"/who"_s};
}

void TabCompleter::setCommands(const QStringList &commands)
{
    m_commands = commands;
}

void TabCompleter::setNicks(const QStringList &nicks)
{
    m_nicks = nicks;
    std::sort(m_nicks.begin(), m_nicks.end(), Validation::nickLessThan);
}

void TabCompleter::setSelf(const QString &nick)
{
    m_self = nick;
}

void TabCompleter::reset()
{
    m_cycle.clear();
    m_cycleIndex = -1;
    m_lastCursor = -1;
    m_lastText.clear();
}

QStringList TabCompleter::candidates(const QString &prefix, bool command) const
{
    QStringList result;
    if (command) {
        const QString lower = prefix.toCaseFolded();
        for (const QString &c : m_commands) {
            if (c.toCaseFolded().startsWith(lower))
                result.append(c);
        }
        return result;
    }
    const QString key = Validation::nickKey(prefix);
    if (key.isEmpty())
        return result;
    const QString selfKey = Validation::nickKey(m_self);
    for (const QString &nick : m_nicks) {
        const QString nickKey = Validation::nickKey(nick);
        if (nickKey != selfKey && nickKey.startsWith(key))
            result.append(nick);
    }
    return result;
}

std::optional<TabCompleter::Completion> TabCompleter::complete(const QString &text, int cursor, bool backward)
{
    cursor = std::clamp(cursor, 0, int(text.size()));
    const bool continuing = !m_cycle.isEmpty() && text == m_lastText && cursor == m_lastCursor;
    if (!continuing) {
        reset();
        int start = cursor;
        while (start > 0 && isNickCharacter(text.at(start - 1)))
            --start;
        const bool command = start == 1 && text.at(0) == u'/';
        if (command)
            start = 0;
        const QString word = text.mid(start, cursor - start);
        if (word.isEmpty() || word == u"/")
            return std::nullopt;
        const QStringList found = candidates(word, command);
        if (found.isEmpty())
            return std::nullopt;
        m_cycle = found;
        m_before = text.left(start);
        m_after = text.mid(cursor);
        // The suffix is already there when completing in the middle of a line.
        const bool addressing = start == 0 && !command;
        m_suffix = addressing ? kAddressSuffix : kWordSuffix;
        if (m_after.startsWith(u' '))
            m_suffix.clear();
        m_cycleIndex = backward ? int(found.size()) - 1 : 0;
    } else {
        const int n = int(m_cycle.size());
        m_cycleIndex = (m_cycleIndex + (backward ? n - 1 : 1)) % n;
    }

    Completion completion;
    const QString inserted = m_cycle.at(m_cycleIndex) + m_suffix;
    completion.text = m_before + inserted + m_after;
    completion.cursor = int(m_before.size() + inserted.size());
    m_lastText = completion.text;
    m_lastCursor = completion.cursor;
    return completion;
}
