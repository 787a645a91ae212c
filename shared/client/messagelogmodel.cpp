// SPDX-License-Identifier: MIT
#include "messagelogmodel.h"

#include "eventtext.h"
#include "timestamp.h"
#include "validation.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// A mention boundary: the characters that would make the nick part of a longer word.
bool isWordCharacter(QChar c)
{
    return c.isLetterOrNumber() || c.isMark() || c == u'_';
}

// Korean (and Chinese/Japanese) attach particles to a name without a space.
bool takesAttachedParticles(QChar c)
{
    switch (c.script()) {
    case QChar::Script_Hangul:
    case QChar::Script_Han:
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
        return true;
    default:
        return false;
    }
}

} // namespace

MessageLogModel::MessageLogModel(QObject *parent) : QAbstractListModel(parent)
{}

MessageLogModel::~MessageLogModel() = default;

void MessageLogModel::setScrollback(int rows)
{
    m_scrollback = std::max(rows, kMinimumScrollback);
    trimFor(0);
}

void MessageLogModel::setSelf(const QString &nick)
{
    m_self = nick;
}

bool MessageLogModel::appendMessage(const Protocol::ChatMessage &message)
{
    if (isKnown(message))
        return false;
    std::deque<Entry> one;
    one.push_back(entryFor(message));
    appendEntries(std::move(one));
    return true;
}

void MessageLogModel::appendWhisper(const Protocol::WhisperMessage &whisper)
{
    Entry e = makeEntry(Kind::Whisper, whisper.ts);
    e.nick = whisper.from;
    e.target = whisper.to;
    e.text = whisper.text;
    e.own = !m_self.isEmpty() && Validation::nickKey(whisper.from) == Validation::nickKey(m_self);
    const bool toAwayUser = e.own && whisper.away;
    std::deque<Entry> one;
    one.push_back(std::move(e));
    appendEntries(std::move(one));
    // The server's echo says the recipient is away: tell the sender under it.
    if (toAwayUser)
        appendNotice(EventText::recipientAwaySentence(whisper.to, *whisper.away), whisper.ts);
}

void MessageLogModel::appendJoined(const Protocol::Joined &joined)
{
    Entry e = makeEntry(Kind::Joined, joined.ts);
    e.nick = joined.nick;
    e.text = EventText::joinedSentence(joined);
    std::deque<Entry> one;
    one.push_back(std::move(e));
    appendEntries(std::move(one));
}

void MessageLogModel::appendLeft(const Protocol::Left &left)
{
    Entry e = makeEntry(Kind::Left, left.ts);
    e.nick = left.nick;
    if (left.reason == Protocol::LeaveReason::Kicked)
        e.target = left.by;
    e.text = EventText::leftSentence(left);
    std::deque<Entry> one;
    one.push_back(std::move(e));
    appendEntries(std::move(one));
}

void MessageLogModel::appendRenamed(const Protocol::Renamed &renamed)
{
    Entry e = makeEntry(Kind::Renamed, renamed.ts);
    e.nick = renamed.from;
    e.target = renamed.to;
    e.text = EventText::renamedSentence(renamed);
    std::deque<Entry> one;
    one.push_back(std::move(e));
    appendEntries(std::move(one));
}

void MessageLogModel::appendError(const QString &text, const QDateTime &ts)
{
    Entry e = makeEntry(Kind::Error, ts);
    e.text = text;
    std::deque<Entry> one;
    one.push_back(std::move(e));
    appendEntries(std::move(one));
}

void MessageLogModel::appendNotice(const QString &text, const QDateTime &ts)
{
    Entry e = makeEntry(Kind::Notice, ts);
    e.text = text;
    std::deque<Entry> one;
    one.push_back(std::move(e));
    appendEntries(std::move(one));
}

int MessageLogModel::mergeHistory(const QList<Protocol::ChatMessage> &history)
{
    if (history.isEmpty())
        return 0;

    // A server that restarted without persistence hands out ids again from 1:
    // an id we keep with another author/time, or a newest id below ours that
    // we never saw, means the old ids say nothing about the new history.
    bool restarted = false;
    for (const Protocol::ChatMessage &m : history) {
        const auto it = m_known.constFind(m.id);
        if (it != m_known.cend() && *it != fingerprint(m.from, m.ts)) {
            restarted = true;
            break;
        }
    }
    const Protocol::ChatMessage &newest = history.constLast();
    if (!restarted && newest.id < m_maxId && !m_known.contains(newest.id))
        restarted = true;
    if (restarted) {
        m_known.clear();
        m_maxId = 0;
    }

    std::deque<Entry> fresh;
    for (const Protocol::ChatMessage &m : history) {
        // Older than our newest and not kept: it scrolled out of the cap; don't bring it back.
        if (m.id <= m_maxId || isKnown(m))
            continue;
        fresh.push_back(entryFor(m));
        m_maxId = std::max(m_maxId, m.id);
    }
    return appendEntries(std::move(fresh));
}

void MessageLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_known.clear();
    m_maxId = 0;
    endResetModel();
}

int MessageLogModel::rowForId(qint64 id) const
{
    if (id <= 0 || !m_known.contains(id))
        return -1;
    // Ids increase along the rows (within one server lifetime), so search from the end.
    for (int row = rowCount() - 1; row >= 0; --row) {
        if (m_rows[std::size_t(row)].id == id)
            return row;
    }
    return -1;
}

int MessageLogModel::rowForSerial(quint64 serial) const
{
    if (m_rows.empty() || serial < m_rows.front().serial || serial > m_rows.back().serial)
        return -1;
    // Rows leave only from the top and serials are handed out in order, so they are contiguous.
    return int(serial - m_rows.front().serial);
}

int MessageLogModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return int(m_rows.size());
}

QVariant MessageLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = entry(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return plainText(e, m_self);
    case Qt::ToolTipRole:
        return QLocale().toString(e.ts.toLocalTime(), QLocale::LongFormat);
    case KindRole:
        return QVariant::fromValue(e.kind);
    case IdRole:
        return e.id;
    case SerialRole:
        return e.serial;
    case NickRole:
        return e.nick;
    case TargetRole:
        return e.target;
    case TextRole:
        return e.text;
    case TimeRole:
        return e.ts;
    case OwnRole:
        return e.own;
    case MentionRole:
        return e.mention;
    case SystemRole:
        return e.kind != Kind::Message && e.kind != Kind::Action && e.kind != Kind::Whisper;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageLogModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(KindRole, "kind");
    names.insert(IdRole, "messageId");
    names.insert(SerialRole, "serial");
    names.insert(NickRole, "nick");
    names.insert(TargetRole, "target");
    names.insert(TextRole, "text");
    names.insert(TimeRole, "time");
    names.insert(OwnRole, "own");
    names.insert(MentionRole, "mention");
    names.insert(SystemRole, "system");
    return names;
}

QString MessageLogModel::plainText(const Entry &entry, const QString &self)
{
    switch (entry.kind) {
    case Kind::Message:
    case Kind::Action: {
        Protocol::ChatMessage m;
        m.from = entry.nick;
        m.text = entry.text;
        m.ts = entry.ts;
        m.action = entry.kind == Kind::Action;
        return EventText::renderMessage(m);
    }
    case Kind::Whisper:
        return EventText::render(Protocol::WhisperMessage{entry.nick, entry.target, entry.text, entry.ts}, self);
    case Kind::Joined:
    case Kind::Left:
    case Kind::Renamed:
    case Kind::Error:
    case Kind::Notice:
        return EventText::stamped(entry.ts, EventText::systemLine(entry.text));
    }
    return {};
}

bool MessageLogModel::mentions(const QString &text, const QString &nick)
{
    const QString needle = Validation::nickKey(nick);
    if (needle.isEmpty())
        return false;
    const QString haystack = Validation::nickKey(text);
    const bool particlesAllowed = takesAttachedParticles(needle.back());
    for (qsizetype at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
        const qsizetype end = at + needle.size();
        const bool startsWord = at == 0 || !isWordCharacter(haystack.at(at - 1));
        const bool endsWord = end == haystack.size() || !isWordCharacter(haystack.at(end)) ||
                              (particlesAllowed && takesAttachedParticles(haystack.at(end)));
        if (startsWord && endsWord)
            return true;
    }
    return false;
}

MessageLogModel::Entry MessageLogModel::makeEntry(Kind kind, const QDateTime &ts) const
{
    Entry e;
    e.kind = kind;
    e.ts = ts.isValid() ? ts : Timestamp::now();
    return e;
}

MessageLogModel::Entry MessageLogModel::entryFor(const Protocol::ChatMessage &message) const
{
    Entry e = makeEntry(message.action ? Kind::Action : Kind::Message, message.ts);
    e.id = message.id;
    e.nick = message.from;
    e.text = message.text;
    e.own = !m_self.isEmpty() && Validation::nickKey(message.from) == Validation::nickKey(m_self);
    e.mention = !e.own && mentions(message.text, m_self);
    return e;
}

int MessageLogModel::appendEntries(std::deque<Entry> entries)
{
    // More rows than the cap in one batch: only the newest can stay.
    while (qsizetype(entries.size()) > m_scrollback)
        entries.pop_front();
    if (entries.empty())
        return 0;

    trimFor(qsizetype(entries.size()));
    const int first = rowCount();
    beginInsertRows({}, first, first + int(entries.size()) - 1);
    for (Entry &e : entries) {
        e.serial = m_nextSerial++;
        remember(e);
        m_rows.push_back(std::move(e));
    }
    endInsertRows();
    return int(entries.size());
}

void MessageLogModel::trimFor(qsizetype incoming)
{
    const qsizetype excess = qsizetype(m_rows.size()) + incoming - m_scrollback;
    if (excess <= 0)
        return;
    const int count = int(std::min<qsizetype>(excess, qsizetype(m_rows.size())));
    beginRemoveRows({}, 0, count - 1);
    for (int i = 0; i < count; ++i) {
        forget(m_rows.front());
        m_rows.pop_front();
    }
    endRemoveRows();
    emit rowsTrimmed(count);
}

bool MessageLogModel::isKnown(const Protocol::ChatMessage &message) const
{
    const auto it = m_known.constFind(message.id);
    return it != m_known.cend() && *it == fingerprint(message.from, message.ts);
}

void MessageLogModel::remember(const Entry &entry)
{
    if (entry.id <= 0)
        return;
    m_known.insert(entry.id, fingerprint(entry.nick, entry.ts));
    m_maxId = std::max(m_maxId, entry.id);
}

void MessageLogModel::forget(const Entry &entry)
{
    if (entry.id <= 0)
        return;
    // Only if this row still owns the id (a restarted server may have reused it).
    const auto it = m_known.find(entry.id);
    if (it != m_known.end() && *it == fingerprint(entry.nick, entry.ts))
        m_known.erase(it);
}

size_t MessageLogModel::fingerprint(const QString &from, const QDateTime &ts)
{
    return qHashMulti(0, from, ts.toMSecsSinceEpoch());
}
