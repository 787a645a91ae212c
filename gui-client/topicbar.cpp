// SPDX-License-Identifier: MIT
#include "topicbar.h"

#include "conversationlistmodel.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>

TopicBar::TopicBar(ConversationListModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_label(new QLabel(this)), m_field(new QLineEdit(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    QFont bold = m_label->font();
    bold.setBold(true);
    m_label->setFont(bold);
    m_label->setBuddy(m_field);
    m_field->setFrame(false);
    m_field->setPlaceholderText(tr("No topic. Click to set one."));
    m_field->setAccessibleName(tr("Topic"));
    m_field->setToolTip(tr("The room's topic: edit it and press Enter to set it for everyone"));
    m_field->installEventFilter(this);
    layout->addWidget(m_label);
    layout->addWidget(m_field, 1);

    connect(m_field, &QLineEdit::returnPressed, this, &TopicBar::commit);
    connect(m_field, &QLineEdit::editingFinished, this, [this] {
        if (!m_field->hasFocus())
            m_field->setText(m_topic); // left without Enter: nothing changes
    });
    connect(m_model, &ConversationListModel::currentChanged, this, &TopicBar::refresh);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &TopicBar::refresh);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TopicBar::refresh);
    refresh();
}

TopicBar::~TopicBar() = default;

bool TopicBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        m_field->setText(m_topic);
        m_field->clearFocus();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void TopicBar::refresh()
{
    const int row = m_model->current();
    setVisible(!m_model->isDirect(row));
    m_label->setText(tr("%1 &topic:").arg(m_model->name(row)));
    const QString topic = m_model->topic(row);
    const bool editing = m_field->hasFocus() && m_field->isModified();
    if (topic == m_topic && editing)
        return;
    m_topic = topic;
    m_field->setText(topic);
    m_field->setCursorPosition(0);
}

void TopicBar::commit()
{
    const QString text = m_field->text().trimmed();
    if (text == m_topic)
        return;
    emit topicEdited(m_model->currentName(), text);
    m_field->clearFocus();
}
