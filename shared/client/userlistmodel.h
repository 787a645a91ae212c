// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QAbstractListModel>
#include <QMap>
#include <QString>
#include <QStringList>

// The users in the room, sorted case-insensitively like the server sorts
// them (Validation::nickLessThan). setUsers() applies the difference to the
// previous list as row insertions and removals, so a view keeps its
// selection and scroll position while people come and go.
class UserListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UserListModel)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        NickRole = Qt::UserRole + 1,
        IsSelfRole,
        KeyRole,         // the nick's identity (NFC + case folding)
        IsOperatorRole,  // a room operator (moderation extension)
        IsAwayRole,      // presence extension
        AwayMessageRole, // "" when away without a message, or not away
    };
    Q_ENUM(Role)

    explicit UserListModel(QObject *parent = nullptr);
    ~UserListModel() override;

    void setUsers(const QStringList &users);
    QStringList users() const { return m_users; }
    int count() const { return int(m_users.size()); }

    void setSelf(const QString &nick);
    QString self() const { return m_self; }

    // The operators among the users; their rows report IsOperatorRole.
    void setOperators(const QStringList &operators);
    bool isOperator(const QString &nick) const;
    // The away users (they may include some not in this list); their rows
    // report IsAwayRole and AwayMessageRole (the tooltip, too).
    void setAwayUsers(const Protocol::AwayMessages &away);
    std::optional<QString> awayMessage(const QString &nick) const;

    // The row of `nick` compared as the server compares nicks, or -1.
    int indexOf(const QString &nick) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged(int count);

private:
    QStringList m_users;
    QString m_self;
    QStringList m_operatorKeys;         // Validation::nickKey of each operator
    QMap<QString, QString> m_awayByKey; // Validation::nickKey -> away message
};
