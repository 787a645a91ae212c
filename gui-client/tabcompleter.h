// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

// Tab completion for the input box: nicknames (any script, compared the
// way the server compares them: NFC and case folding) and the slash
// commands at the start of the line. Pressing Tab again right away cycles
// through the other candidates, Shift+Tab cycles back.
//
// Completing a nick at the very start of the line adds ": " (the IRC way to
// address someone); elsewhere, and after a command, a space.
class TabCompleter final
{
public:
    struct Completion {
        QString text;
        int cursor = 0;
    };

    TabCompleter();

    void setCommands(const QStringList &commands); // with their slash: "/msg"
    void setNicks(const QStringList &nicks);
    void setSelf(const QString &nick); // never offered

    // Completes the word that ends at `cursor`. nullopt when there is nothing
    // to complete (no word, or no candidate).
    std::optional<Completion> complete(const QString &text, int cursor, bool backward = false);

    // Anything but Tab ends a cycle.
    void reset();

    // The candidates for a prefix, in the order Tab offers them.
    QStringList candidates(const QString &prefix, bool command) const;

private:
    QStringList m_commands;
    QStringList m_nicks;
    QString m_self;

    // The cycle in progress: what the last completion produced, so that the
    // next Tab replaces that candidate instead of completing it further.
    QStringList m_cycle;
    int m_cycleIndex = -1;
    QString m_before; // text before the completed word
    QString m_after;  // text after the cursor
    QString m_suffix;
    QString m_lastText;
    int m_lastCursor = -1;
};
