// SPDX-License-Identifier: MIT
#include "textcommand.h"

#include "commandgrammar.h"

using namespace Qt::StringLiterals;

namespace TextCommand {
namespace {

QString usageText(CommandGrammar::Command command)
{
    return u"* usage: "_s + CommandGrammar::usage(command);
}

} // namespace

QStringList helpLines()
{
    // /quit stays the last line: clients and tests read the help up to it.
    QStringList lines{u"* Type a line and press Enter to talk in the current room (#lobby at first). Commands:"_s};
    for (const QString &row : CommandGrammar::helpRows())
        lines.append(u"* "_s + row);
    return lines;
}

Parsed parse(const QString &line)
{
    const CommandGrammar::Result result = CommandGrammar::parse(line);
    if (const auto *frame = std::get_if<Protocol::ClientFrame>(&result))
        return {*frame, {}};
    if (std::holds_alternative<CommandGrammar::Help>(result))
        return {std::nullopt, helpLines()};
    if (std::holds_alternative<CommandGrammar::ShowTopic>(result))
        return {std::nullopt, {}, true};
    if (const auto *usage = std::get_if<CommandGrammar::Usage>(&result))
        return {std::nullopt, {usageText(usage->command)}};
    const QString word = std::get<CommandGrammar::Unknown>(result).word.toLower();
    return {std::nullopt, {u"* error: unknown command /%1 (type /help for the list)"_s.arg(word)}};
}

} // namespace TextCommand
