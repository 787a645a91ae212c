// SPDX-License-Identifier: MIT
#include "viewbenchmark.h"

#include "messagedelegate.h"
#include "messagelogmodel.h"
#include "messageview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

constexpr int kCorpusSize = 97; // prime, so texts and nicks do not line up
constexpr int kNickCount = 23;

const QStringList kFragments{
    u"hello"_s,
    u"안녕하세요"_s,
    u"the build is green again"_s,
    u"see https://example.org/docs/index.html"_s,
    u"민수님 오늘 회의 몇 시예요?"_s,
    u"lgtm"_s,
    u"could you look at the flaky test?"_s,
    u"점심 뭐 먹을까요"_s,
    u"ok"_s,
    u"I think the reconnect logic needs another pass, especially the backoff"_s,
};

void print(const QString &line)
{
    std::fputs(line.toLocal8Bit().constData(), stdout);
    std::fputc('\n', stdout);
}

} // namespace

ViewBenchmark::ViewBenchmark(const Options &options) : m_options(options)
{
    buildCorpus();
}

void ViewBenchmark::buildCorpus()
{
    // Mostly short lines, some long ones that wrap, some multi-line.
    for (int i = 0; i < kCorpusSize; ++i) {
        QString text = kFragments.at(i % kFragments.size());
        const int repeat = (i % 11 == 0) ? 8 : (i % 5 == 0 ? 3 : 1);
        for (int r = 1; r < repeat; ++r)
            text += u' ' + kFragments.at((i + r) % kFragments.size());
        if (i % 13 == 0)
            text += u"\nsecond line\nthird line"_s;
        m_texts.append(text);
    }
    for (int i = 0; i < kNickCount; ++i)
        m_nicks.append(i % 3 == 0 ? u"사용자%1"_s.arg(i) : u"user%1"_s.arg(i));
}

qint64 ViewBenchmark::residentKiB(const char *field)
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').constFirst().toLongLong();
    }
    return -1;
}

int ViewBenchmark::run()
{
    const qint64 rssStart = residentKiB("VmRSS");

    MessageLogModel log;
    log.setScrollback(m_options.scrollback);
    log.setSelf(u"user0"_s);
    MessageView view;
    view.setLogModel(&log);
    view.resize(m_options.width, m_options.height);
    view.show();
    QCoreApplication::processEvents();

    const QDateTime start = QDateTime::currentDateTimeUtc();
    QElapsedTimer total;
    total.start();
    QElapsedTimer clock;
    Window window;
    qint64 appendNanos = 0;
    qint64 eventNanos = 0;
    qint64 rssAtCap = -1;

    for (int i = 0; i < m_options.messages; ++i) {
        if (i % m_options.windowRows == 0) {
            window = Window{};
            window.firstMessage = i;
            window.rowsBefore = log.rowCount();
            appendNanos = 0;
            eventNanos = 0;
        }
        Protocol::ChatMessage m;
        m.id = i + 1;
        m.from = m_nicks.at(i % m_nicks.size());
        m.text = m_texts.at(i % m_texts.size());
        m.ts = start.addMSecs(i);
        clock.start();
        log.appendMessage(m);
        appendNanos += clock.nsecsElapsed();

        if ((i + 1) % m_options.batch == 0) {
            clock.start();
            QCoreApplication::processEvents();
            const qint64 turn = clock.nsecsElapsed();
            eventNanos += turn;
            window.worstTurnMillis = std::max(window.worstTurnMillis, turn / 1e6);
        }
        if (rssAtCap < 0 && log.rowCount() >= m_options.scrollback)
            rssAtCap = residentKiB("VmRSS");

        const bool windowDone = (i + 1) % m_options.windowRows == 0 || i + 1 == m_options.messages;
        if (windowDone) {
            const int count = i + 1 - window.firstMessage;
            window.appendMicros = appendNanos / 1e3 / count;
            window.eventMicros = eventNanos / 1e3 / count;
            m_windows.append(window);
        }
    }
    QCoreApplication::processEvents();
    const double totalMillis = total.nsecsElapsed() / 1e6;
    const qint64 rssEnd = residentKiB("VmRSS");

    print(u"chat-gui view benchmark: %1 messages, scrollback %2, %3 appends per event-loop turn, view %4x%5 (%6)"_s
              .arg(m_options.messages)
              .arg(m_options.scrollback)
              .arg(m_options.batch)
              .arg(m_options.width)
              .arg(m_options.height)
              .arg(QGuiApplication::platformName()));
    print(u""_s);
    print(u"messages          rows before  append µs/msg  relayout+paint µs/msg  total µs/msg  worst turn ms"_s);
    for (const Window &w : std::as_const(m_windows)) {
        print(u"%1  %2  %3  %4  %5  %6"_s
                  .arg(u"%1-%2"_s.arg(w.firstMessage + 1).arg(w.firstMessage + m_options.windowRows), -16)
                  .arg(w.rowsBefore, 11)
                  .arg(w.appendMicros, 13, 'f', 2)
                  .arg(w.eventMicros, 21, 'f', 2)
                  .arg(w.appendMicros + w.eventMicros, 12, 'f', 2)
                  .arg(w.worstTurnMillis, 13, 'f', 2));
    }
    print(u""_s);
    print(u"total: %1 ms, %2 µs per message on average"_s.arg(totalMillis, 0, 'f', 1)
              .arg(totalMillis * 1e3 / m_options.messages, 0, 'f', 2));
    const MessageDelegate *delegate = view.messageDelegate();
    print(u"rows kept: %1 (cap %2); text layouts made: %3 (%4 per message); rows painted: %5 (%6 per message)"_s
              .arg(log.rowCount())
              .arg(m_options.scrollback)
              .arg(delegate->layoutCount())
              .arg(double(delegate->layoutCount()) / m_options.messages, 0, 'f', 2)
              .arg(delegate->paintCount())
              .arg(double(delegate->paintCount()) / m_options.messages, 0, 'f', 2));
    print(u"memory (VmRSS): %1 MiB at start, %2 MiB when the cap was reached, %3 MiB at the end; peak (VmHWM) %4 MiB"_s
              .arg(rssStart / 1024.0, 0, 'f', 1)
              .arg(rssAtCap / 1024.0, 0, 'f', 1)
              .arg(rssEnd / 1024.0, 0, 'f', 1)
              .arg(residentKiB("VmHWM") / 1024.0, 0, 'f', 1));
    return 0;
}
