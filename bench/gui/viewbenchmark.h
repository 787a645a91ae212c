// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// Appends chat messages to a MessageLogModel shown in a MessageView, the
// way a flooded room does, and measures what each append costs the GUI
// thread (model insert, relayout, paint) and how much memory the process
// holds. Prints figures; never fails on timing.
class ViewBenchmark final
{
public:
    struct Options {
        int messages = 100000;
        int scrollback = 10000;
        int batch = 10;         // appends per event-loop turn (a busy socket delivers several)
        int windowRows = 10000; // report granularity
        int width = 900;
        int height = 700;
    };

    explicit ViewBenchmark(const Options &options);

    // Runs and prints the report to stdout. Returns the process exit code.
    int run();

private:
    struct Window {
        int firstMessage = 0;
        int rowsBefore = 0;
        double appendMicros = 0; // model inserts (and trims), per message
        double eventMicros = 0;  // relayout + paint, per message
        double worstTurnMillis = 0;
    };

    void buildCorpus();
    static qint64 residentKiB(const char *field);

    Options m_options;
    QStringList m_texts;
    QStringList m_nicks;
    QList<Window> m_windows;
};
