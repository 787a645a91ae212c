// SPDX-License-Identifier: MIT
//
// Not compiled: read by lupdate only (see gui-client/CMakeLists.txt).
//
// Strings of shared/ that chat-gui shows but lupdate (Qt 6.4) files under
// the wrong context or misses where they are used:
//  - EventText's renderer calls a local tr() inside a struct, so lupdate
//    files those strings under "EventText::Renderer" while they are looked
//    up at run time under "EventText";
//  - lupdate skips translate(..., nullptr, n) when n is a qualified name
//    (Protocol::kMaxNickLength), so the numerus texts of Validation are lost.
// Listing them here puts them in the .ts files under the run-time context.

#include <QtGlobal>

[[maybe_unused]] static const char *const kSharedStrings[] = {
    QT_TRANSLATE_NOOP("EventText", "* Welcome, %1! %2"),
    QT_TRANSLATE_NOOP("EventText", "-> *%1* %2"),
    QT_TRANSLATE_NOOP("EventText", "*%1* %2"),
    QT_TRANSLATE_NOOP("EventText", "* pong"),
    QT_TRANSLATE_NOOP("EventText", "* error: %1"),
    QT_TRANSLATE_NOOP("EventText", "* The server is shutting down. Goodbye!"),
    QT_TRANSLATE_NOOP("EventText", "* Goodbye (%1)."),
    QT_TRANSLATE_NOOP("EventText", "* Slow mode is on: one message per %1 seconds."),
    QT_TRANSLATE_NOOP("EventText", "* %1 is now an operator"),
    QT_TRANSLATE_NOOP("EventText", "* %1 was muted by %2 for %3 minutes"),
    QT_TRANSLATE_NOOP("EventText", "* %1 was unmuted by %2"),
    QT_TRANSLATE_NOOP("EventText", "* %1 turned slow mode off"),
    QT_TRANSLATE_NOOP("EventText", "* %1 turned slow mode on: one message per %2 seconds"),
    QT_TRANSLATE_N_NOOP("Validation", "A nickname has at most %n characters."),
    QT_TRANSLATE_N_NOOP("Validation", "A message has at most %n characters."),
};
