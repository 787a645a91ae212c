// SPDX-License-Identifier: MIT
#pragma once

#include "protocol.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <QString>

#include <deque>

// The scrollback of one chat room as a list model: chat messages, /me
// actions, whispers and the quieter system events (joins, leaves, renames,
// errors, notices), one row each, oldest first.
//
// It is UI-free so tests and any front end can use it; chat-gui draws it
// with its own delegate. Two properties matter for a busy room:
//  - appending is O(1) in the number of rows already there, and the model
//    never grows past scrollback() rows: the oldest rows are dropped first;
//  - chat messages are deduplicated by their server id, so the history the
//    server replays on every (re)join merges without doubles.
class MessageLogModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageLogModel)

public:
    static constexpr int kDefaultScrollback = 10000;
    static constexpr int kMinimumScrollback = 10;

    enum class Kind {
        Message, // an ordinary chat line
        Action,  // "/me waves"
        Whisper, // private, received or sent
        Joined,
        Left,
        Renamed,
        Error,  // a refusal from the server or a connection problem
        Notice, // anything else the client wants to say (reconnected, help text...)
    };
    Q_ENUM(Kind)

    enum Role {
        KindRole = Qt::UserRole + 1,
        IdRole,      // server message id, 0 for rows without one
        SerialRole,  // unique per row for the lifetime of the model (cache key for views)
        NickRole,    // author; for Renamed the old nick; for Joined/Left the user
        TargetRole,  // whisper recipient; for Renamed the new nick
        TextRole,    // the body as typed, or the system text
        TimeRole,    // QDateTime, UTC
        OwnRole,     // written by the local user
        MentionRole, // someone else's message that names the local user
        SystemRole,  // Joined, Left, Renamed, Error or Notice
    };
    Q_ENUM(Role)

    struct Entry {
        Kind kind = Kind::Notice;
        qint64 id = 0;
        quint64 serial = 0;
        QString nick;
        QString target;
        QString text;
        QDateTime ts;
        bool own = false;
        bool mention = false;
    };

    explicit MessageLogModel(QObject *parent = nullptr);
    ~MessageLogModel() override;

    // At most this many rows are kept; the oldest are removed first.
    void setScrollback(int rows);
    int scrollback() const { return m_scrollback; }

    // The local user's nickname: decides which rows are own and which mention us.
    void setSelf(const QString &nick);
    QString self() const { return m_self; }

    // Each returns false when the row was not added (a duplicate message).
    bool appendMessage(const Protocol::ChatMessage &message);
    void appendWhisper(const Protocol::WhisperMessage &whisper);
    void appendJoined(const Protocol::Joined &joined);
    void appendLeft(const Protocol::Left &left);
    void appendRenamed(const Protocol::Renamed &renamed);
    void appendError(const QString &text, const QDateTime &ts = {});
    void appendNotice(const QString &text, const QDateTime &ts = {});

    // Adds the messages of a `welcome` that are not shown yet, oldest first,
    // in one insertion. Returns how many were added.
    int mergeHistory(const QList<Protocol::ChatMessage> &history);

    void clear();

    const Entry &entry(int row) const { return m_rows[std::size_t(row)]; }
    // The row with this server message id, or -1.
    int rowForId(qint64 id) const;
    // The row that carries this serial, or -1 (serials increase along the rows).
    int rowForSerial(quint64 serial) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Plain text of a row as a chat log line ("[22:00] <alice> hi"): for
    // copying, searching and screen readers.
    static QString plainText(const Entry &entry, const QString &self);

    // True when `text` names `nick` as a word, ignoring case. A nick that ends
    // in a Hangul or CJK character also matches with a particle attached
    // ("민수야", "민수님"), since Korean writes those without a space.
    static bool mentions(const QString &text, const QString &nick);

signals:
    // Rows were dropped from the top to respect the scrollback cap.
    void rowsTrimmed(int count);

private:
    Entry makeEntry(Kind kind, const QDateTime &ts) const;
    Entry entryFor(const Protocol::ChatMessage &message) const;
    int appendEntries(std::deque<Entry> entries);
    void trimFor(qsizetype incoming);
    bool isKnown(const Protocol::ChatMessage &message) const;
    void remember(const Entry &entry);
    void forget(const Entry &entry);
    static size_t fingerprint(const QString &from, const QDateTime &ts);

    std::deque<Entry> m_rows;
    int m_scrollback = kDefaultScrollback;
    QString m_self;
    quint64 m_nextSerial = 1;
    // Message id -> fingerprint (author and time) of the rows still kept:
    // a replayed message is recognised, and a server that restarted and
    // reuses ids is noticed because the fingerprints no longer match.
    QHash<qint64, size_t> m_known;
    qint64 m_maxId = 0;
};
