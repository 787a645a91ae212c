// SPDX-License-Identifier: MIT
#include "fakenotifier.h"

FakeNotifier::FakeNotifier(bool withTray, QObject *parent) : DesktopNotifier(parent), m_withTray(withTray)
{}

FakeNotifier::~FakeNotifier() = default;

void FakeNotifier::show(const QString &title, const QString &body, const QString &conversation)
{
    m_shown.append({title, body, conversation});
}

void FakeNotifier::click(qsizetype index)
{
    emit clicked(m_shown.at(index).conversation);
}
