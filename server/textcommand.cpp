// SPDX-License-Identifier: MIT
#include "textcommand.h"

#include "commandgrammar.h"

using namespace Qt::StringLiterals;

namespace TextCommand {
namespace {

// The help's columns: commands, and the operators' commands indented below /op.
constexpr qsizetype kCommandWidth = 17;
constexpr qsizetype kOperatorCommandWidth = 23;

QString synopsis(const CommandGrammar::Entry &entry)
{
    QString text = u"/"_s + entry.name;
    if (!entry.arguments.isEmpty())
        text += u' ' + entry.arguments;
    return text;
}

QString usageText(CommandGrammar::Command command)
{
    QString text = u"* usage: "_s + synopsis(CommandGrammar::entry(command));
    if (command == CommandGrammar::Command::Slow)
        text += u" (0 turns slow mode off)"_s;
    return text;
}

} // namespace

QStringList helpLines()
{
    // /quit stays the last line: clients and tests read the help up to it.
    QStringList lines{u"* Type a line and press Enter to talk to everyone. Commands:"_s};
    for (const CommandGrammar::Entry &entry : CommandGrammar::commands()) {
        const QString indent = entry.operatorOnly ? u"*     "_s : u"*   "_s;
        const qsizetype width = entry.operatorOnly ? kOperatorCommandWidth : kCommandWidth;
        lines.append(indent + synopsis(entry).leftJustified(width) + entry.summary);
    }
    return lines;
}

Parsed parse(const QString &line)
{
    const CommandGrammar::Result result = CommandGrammar::parse(line);
    if (const auto *frame = std::get_if<Protocol::ClientFrame>(&result))
        return {*frame, {}};
    if (std::holds_alternative<CommandGrammar::Help>(result))
        return {std::nullopt, helpLines()};
    if (const auto *usage = std::get_if<CommandGrammar::Usage>(&result))
        return {std::nullopt, {usageText(usage->command)}};
    const QString word = std::get<CommandGrammar::Unknown>(result).word.toLower();
    return {std::nullopt, {u"* error: unknown command /%1 (type /help for the list)"_s.arg(word)}};
}

} // namespace TextCommand
