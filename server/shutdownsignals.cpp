// SPDX-License-Identifier: MIT
#include "shutdownsignals.h"

#include <QLoggingCategory>
#include <QSocketNotifier>

#include <csignal>
#include <sys/signalfd.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcSignals, "qtchat.server.signals")

namespace {
sigset_t shutdownSet()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}
} // namespace

bool ShutdownSignals::block()
{
    const sigset_t set = shutdownSet();
    return pthread_sigmask(SIG_BLOCK, &set, nullptr) == 0;
}

ShutdownSignals::ShutdownSignals(QObject *parent) : QObject(parent)
{
    const sigset_t set = shutdownSet();
    m_fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (m_fd < 0) {
        qCWarning(lcSignals) << "signalfd failed; SIGINT/SIGTERM will not shut down cleanly";
        return;
    }
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ShutdownSignals::readSignal);
}

ShutdownSignals::~ShutdownSignals()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void ShutdownSignals::readSignal()
{
    signalfd_siginfo info{};
    while (::read(m_fd, &info, sizeof info) == ssize_t(sizeof info)) {
        qCInfo(lcSignals) << "received signal" << info.ssi_signo;
        emit received(int(info.ssi_signo));
    }
}
