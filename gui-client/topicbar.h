// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class ConversationListModel;
class QLabel;
class QLineEdit;

// Above the conversation: the current room's topic, editable in place
// (click, type, Enter sets it for everyone; Escape or leaving the field
// puts the shown topic back). Hidden for direct conversations.
class TopicBar final : public QWidget
{
    Q_OBJECT

public:
    explicit TopicBar(ConversationListModel *model, QWidget *parent = nullptr);
    ~TopicBar() override;

    QLineEdit *field() const { return m_field; }
    // The topic shown (the room's, not what is being typed).
    QString topic() const { return m_topic; }

signals:
    // The user set a new topic (empty: clear it) for `room`.
    void topicEdited(const QString &room, const QString &topic);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();
    void commit();

    ConversationListModel *m_model;
    QLabel *m_label;
    QLineEdit *m_field;
    QString m_topic;
};
