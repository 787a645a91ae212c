// SPDX-License-Identifier: MIT
#include "userlistmodel.h"

#include "validation.h"

#include <algorithm>

UserListModel::UserListModel(QObject *parent) : QAbstractListModel(parent)
{}

UserListModel::~UserListModel() = default;

void UserListModel::setUsers(const QStringList &users)
{
    QStringList sorted = users;
    std::sort(sorted.begin(), sorted.end(), Validation::nickLessThan);
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());

    const int before = count();
    // Both lists are in the same total order, so one merge walk finds the
    // rows to remove and the rows to insert.
    qsizetype row = 0;
    qsizetype next = 0;
    while (row < m_users.size() || next < sorted.size()) {
        if (row < m_users.size() && next < sorted.size() && m_users.at(row) == sorted.at(next)) {
            ++row;
            ++next;
            continue;
        }
        const bool removeOld = next == sorted.size() ||
                               (row < m_users.size() && Validation::nickLessThan(m_users.at(row), sorted.at(next)));
        if (removeOld) {
            beginRemoveRows({}, int(row), int(row));
            m_users.removeAt(row);
            endRemoveRows();
            continue;
        }
        beginInsertRows({}, int(row), int(row));
        m_users.insert(row, sorted.at(next));
        endInsertRows();
        ++row;
        ++next;
    }
    if (count() != before)
        emit countChanged(count());
}

void UserListModel::setSelf(const QString &nick)
{
    const int oldRow = indexOf(m_self);
    m_self = nick;
    const int newRow = indexOf(m_self);
    for (const int row : {oldRow, newRow}) {
        if (row >= 0)
            emit dataChanged(index(row), index(row), {IsSelfRole});
    }
}

void UserListModel::setOperators(const QStringList &operators)
{
    QStringList keys;
    for (const QString &nick : operators)
        keys.append(Validation::nickKey(nick));
    keys.sort();
    if (keys == m_operatorKeys)
        return;
    m_operatorKeys = keys;
    if (!m_users.isEmpty())
        emit dataChanged(index(0), index(count() - 1), {IsOperatorRole, Qt::AccessibleTextRole});
}

bool UserListModel::isOperator(const QString &nick) const
{
    return m_operatorKeys.contains(Validation::nickKey(nick));
}

void UserListModel::setAwayUsers(const Protocol::AwayMessages &away)
{
    QMap<QString, QString> byKey;
    for (auto it = away.cbegin(); it != away.cend(); ++it)
        byKey.insert(Validation::nickKey(it.key()), it.value());
    if (byKey == m_awayByKey)
        return;
    m_awayByKey = byKey;
    if (!m_users.isEmpty())
        emit dataChanged(index(0), index(count() - 1),
                         {IsAwayRole, AwayMessageRole, Qt::ToolTipRole, Qt::AccessibleTextRole});
}

std::optional<QString> UserListModel::awayMessage(const QString &nick) const
{
    const auto it = m_awayByKey.constFind(Validation::nickKey(nick));
    if (it == m_awayByKey.cend())
        return std::nullopt;
    return *it;
}

int UserListModel::indexOf(const QString &nick) const
{
    if (nick.isEmpty())
        return -1;
    const QString key = Validation::nickKey(nick);
    for (qsizetype row = 0; row < m_users.size(); ++row) {
        if (Validation::nickKey(m_users.at(row)) == key)
            return int(row);
    }
    return -1;
}

int UserListModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return count();
}

QVariant UserListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString &nick = m_users.at(index.row());
    switch (role) {
    case Qt::AccessibleTextRole: {
        // Screen readers cannot see the mark and the dimming the delegate draws.
        QString text = isOperator(nick) ? tr("%1, operator").arg(nick) : nick;
        if (const std::optional<QString> away = awayMessage(nick))
            text = away->isEmpty() ? tr("%1, away").arg(text) : tr("%1, away: %2").arg(text, *away);
        return text;
    }
    case Qt::ToolTipRole: {
        const std::optional<QString> away = awayMessage(nick);
        if (!away)
            return {};
        return away->isEmpty() ? tr("%1 is away").arg(nick) : tr("%1 is away: %2").arg(nick, *away);
    }
    case IsAwayRole:
        return awayMessage(nick).has_value();
    case AwayMessageRole:
        return awayMessage(nick).value_or(QString());
    case Qt::DisplayRole:
    case Qt::EditRole:
    case NickRole:
        return nick;
    case IsOperatorRole:
        return isOperator(nick);
    case IsSelfRole:
        return !m_self.isEmpty() && Validation::nickKey(nick) == Validation::nickKey(m_self);
    case KeyRole:
        return Validation::nickKey(nick);
    default:
        return {};
    }
}

QHash<int, QByteArray> UserListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NickRole, "nick");
    names.insert(IsSelfRole, "isSelf");
    names.insert(KeyRole, "key");
    names.insert(IsOperatorRole, "isOperator");
    names.insert(IsAwayRole, "isAway");
    names.insert(AwayMessageRole, "awayMessage");
    return names;
}
