// SPDX-License-Identifier: MIT
#include "findbar.h"

#include "messagelogmodel.h"
#include "messageview.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QStyle>
#include <QToolButton>

FindBar::FindBar(MessageView *view, QWidget *parent)
    : QWidget(parent)
    , m_view(view)
    , m_field(new QLineEdit(this))
    , m_olderButton(new QToolButton(this))
    , m_newerButton(new QToolButton(this))
    , m_closeButton(new QToolButton(this))
    , m_status(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *label = new QLabel(tr("&Find:"), this);
    label->setBuddy(m_field);
    m_field->setPlaceholderText(tr("Text or nickname"));
    m_field->setClearButtonEnabled(true);
    m_field->setAccessibleName(tr("Find in messages"));

    m_olderButton->setIcon(style()->standardIcon(QStyle::SP_ArrowUp));
    m_olderButton->setToolTip(tr("Older match (Enter, F3)"));
    m_olderButton->setAccessibleName(tr("Older match"));
    m_newerButton->setIcon(style()->standardIcon(QStyle::SP_ArrowDown));
    m_newerButton->setToolTip(tr("Newer match (Shift+Enter, Shift+F3)"));
    m_newerButton->setAccessibleName(tr("Newer match"));
    m_closeButton->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_closeButton->setToolTip(tr("Close (Escape)"));
    m_closeButton->setAccessibleName(tr("Close find bar"));
    m_closeButton->setAutoRaise(true);
    m_status->setAccessibleName(tr("Matches"));

    layout->addWidget(label);
    layout->addWidget(m_field, 1);
    layout->addWidget(m_olderButton);
    layout->addWidget(m_newerButton);
    layout->addWidget(m_status);
    layout->addWidget(m_closeButton);

    connect(m_field, &QLineEdit::textChanged, this, &FindBar::search);
    connect(m_olderButton, &QToolButton::clicked, this, &FindBar::findOlder);
    connect(m_newerButton, &QToolButton::clicked, this, &FindBar::findNewer);
    connect(m_closeButton, &QToolButton::clicked, this, &FindBar::deactivate);

    followViewModel();
}

FindBar::~FindBar() = default;

void FindBar::followViewModel()
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = m_view->logModel();
    m_matches.clear();
    m_current = -1;
    if (m_model) {
        const auto markStale = [this] { m_stale = true; };
        connect(m_model, &QAbstractItemModel::rowsInserted, this, markStale);
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, markStale);
        connect(m_model, &QAbstractItemModel::modelReset, this, markStale);
    }
    if (isVisible() && !m_field->text().isEmpty())
        search();
    else
        updateStatus();
}

void FindBar::activate()
{
    show();
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
    if (!m_field->text().isEmpty())
        search();
}

void FindBar::deactivate()
{
    hide();
    m_view->setSearchTerm({});
    m_matches.clear();
    m_current = -1;
    emit closed();
}

QString FindBar::term() const
{
    return m_field->text();
}

int FindBar::currentRow() const
{
    if (m_current < 0 || m_current >= m_matches.size() || !m_view->logModel())
        return -1;
    return m_view->logModel()->rowForSerial(m_matches.at(m_current));
}

void FindBar::findOlder()
{
    rescanIfStale();
    if (m_matches.isEmpty())
        return;
    go(m_current <= 0 ? int(m_matches.size()) - 1 : m_current - 1);
}

void FindBar::findNewer()
{
    rescanIfStale();
    if (m_matches.isEmpty())
        return;
    go(m_current < 0 || m_current >= m_matches.size() - 1 ? 0 : m_current + 1);
}

void FindBar::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Escape:
        deactivate();
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (event->modifiers() & Qt::ShiftModifier)
            findNewer();
        else
            findOlder();
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

void FindBar::search()
{
    const QString needle = m_field->text();
    m_view->setSearchTerm(needle);
    collect(0);
    if (m_matches.isEmpty())
        updateStatus();
    else
        go(int(m_matches.size()) - 1);
}

void FindBar::rescanIfStale()
{
    if (!m_stale)
        return;
    collect(m_current >= 0 && m_current < m_matches.size() ? m_matches.at(m_current) : 0);
}

void FindBar::collect(quint64 keepSerial)
{
    m_matches.clear();
    m_current = -1;
    m_stale = false;
    const QString needle = m_field->text();
    const MessageLogModel *model = m_view->logModel();
    if (needle.isEmpty() || !model)
        return;
    for (int row = 0; row < model->rowCount(); ++row) {
        const MessageLogModel::Entry &e = model->entry(row);
        if (!e.text.contains(needle, Qt::CaseInsensitive) && !e.nick.contains(needle, Qt::CaseInsensitive))
            continue;
        if (e.serial == keepSerial)
            m_current = int(m_matches.size());
        m_matches.append(e.serial);
    }
}

void FindBar::go(int matchIndex)
{
    m_current = matchIndex;
    const int row = currentRow();
    if (row >= 0)
        m_view->showRow(row);
    updateStatus();
}

void FindBar::updateStatus()
{
    const bool any = !m_matches.isEmpty();
    m_olderButton->setEnabled(any);
    m_newerButton->setEnabled(any);
    if (m_field->text().isEmpty()) {
        m_status->clear();
        return;
    }
    if (!any) {
        m_status->setText(tr("No matches"));
        return;
    }
    const QLocale locale;
    m_status->setText(tr("%1 of %2").arg(locale.toString(m_current + 1), locale.toString(m_matches.size())));
}
