// SPDX-License-Identifier: MIT
// gui-bench: appends many messages to chat-gui's message view and reports
// the cost per append and the memory used. See docs/gui.md.
//
//   gui-bench [--messages N] [--scrollback N] [--batch N] [--width W] [--height H]
//
// Runs on the offscreen platform unless QT_QPA_PLATFORM says otherwise.
#include "viewbenchmark.h"

#include <QApplication>
#include <QCommandLineParser>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"gui-bench"_s);

    ViewBenchmark::Options options;
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Appends messages to chat-gui's message view and reports the cost."_s);
    parser.addHelpOption();
    const QCommandLineOption messages(u"messages"_s, u"Messages to append (default 100000)."_s, u"n"_s);
    const QCommandLineOption scrollback(u"scrollback"_s, u"Rows the view keeps (default 10000)."_s, u"n"_s);
    const QCommandLineOption batch(u"batch"_s, u"Appends per event-loop turn (default 10)."_s, u"n"_s);
    const QCommandLineOption width(u"width"_s, u"View width in pixels (default 900)."_s, u"px"_s);
    const QCommandLineOption height(u"height"_s, u"View height in pixels (default 700)."_s, u"px"_s);
    parser.addOptions({messages, scrollback, batch, width, height});
    parser.process(app);

    const auto number = [&parser](const QCommandLineOption &option, int fallback) {
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        return ok && value > 0 ? value : fallback;
    };
    options.messages = number(messages, options.messages);
    options.scrollback = number(scrollback, options.scrollback);
    options.batch = number(batch, options.batch);
    options.width = number(width, options.width);
    options.height = number(height, options.height);
    options.windowRows = std::max(1, std::min(options.windowRows, options.messages / 10));

    ViewBenchmark benchmark(options);
    return benchmark.run();
}
