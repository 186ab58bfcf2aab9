// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/thread/ThreadModel.h"

#include "client/net/ApiClient.h"
#include "models/attachments/AttachmentImages.h"
#include "models/conversations/TimeText.h"

#include <QJsonArray>
#include <QTimer>

namespace larch {

ThreadModel::ThreadModel(LocalStore *store, ApiClient *api, QObject *parent)
    : QAbstractListModel(parent), m_store(store), m_api(api)
{ }

void ThreadModel::open(const QString &conversationId)
{
    beginResetModel();
    ++m_generation;
    m_rows.clear();
    m_interned.clear();
    m_failureReasons.clear();
    m_deliveryDetails.clear();
    // Uploads and downloads go on while another conversation shows; only the thumbnails are the shown thread's.
    if (m_images)
        m_images->clearThumbnails();
    m_standard.reset();
    m_pendingCount = 0;
    m_conversationId = conversationId;
    m_serverExhausted = false;
    m_serverFailed = false;
    m_knownLastSeq = 0;
    m_othersReadSeq = 0;
    const bool wasLoading = m_loading;
    m_loading = false;
    if (!conversationId.isEmpty()) {
        if (const auto summary = m_store->conversations().summary(conversationId)) {
            m_knownLastSeq = summary->lastSeq;
            m_standard = summary->standard;
        }
        for (const Member &member : m_store->conversations().members(conversationId)) {
            if (member.userId != m_userId)
                m_othersReadSeq = std::max(m_othersReadSeq, member.lastReadSeq);
        }
        const QList<OutboxEntry> pending = m_store->outbox().entries(conversationId);
        for (auto it = pending.crbegin(); it != pending.crend(); ++it)
            m_rows.append(rowFrom(*it));
        m_pendingCount = int(m_rows.size());
        // The newest page shows at once from the store; the server is asked only for what the store lacks.
        const QList<StoredMessage> run = localRun(0);
        QList<Row> notices;
        if (run.isEmpty() && m_knownLastSeq == 0)
            notices = noticeRows(0, std::numeric_limits<qint64>::max());
        else if (!run.isEmpty())
            notices = noticeRows(run.constLast().message.seq == 1 ? 0 : run.constLast().message.seq,
                                 std::numeric_limits<qint64>::max());
        qsizetype next = 0;
        for (const StoredMessage &m : run) {
            while (next < notices.size() && notices.at(next).seq >= m.message.seq)
                m_rows.append(notices.at(next++));
            m_rows.append(rowFrom(m));
        }
        while (next < notices.size())
            m_rows.append(notices.at(next++));
        for (int i = 0; i < m_rows.size(); ++i)
            m_rows[i].flags = groupingOf(i);
    }
    endResetModel();
    if (wasLoading)
        emit loadingChanged();
    emit conversationIdChanged();
    emit countChanged();
    if (m_rows.size() == m_pendingCount && canFetchMore({}))
        fetchMore({});
    updateHasMore();
}

void ThreadModel::close() { open(QString()); }

int ThreadModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

void ThreadModel::regroup(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    const quint8 now = groupingOf(row);
    const quint8 before = m_rows.at(row).flags;
    if (now == before)
        return;
    m_rows[row].flags = now;
    QList<int> roles;
    if ((now ^ before) & DaySeparator)
        roles << ShowDaySeparatorRole;
    if ((now ^ before) & FirstOfGroup)
        roles << IsFirstOfGroupRole;
    emit dataChanged(index(row), index(row), roles);
}

qint64 ThreadModel::oldestSeq() const
{
    // The oldest message row; notices with no message below them (the conversation's very first) are skipped.
    for (auto i = m_rows.size() - 1; i >= m_pendingCount; --i) {
        if (m_rows.at(i).state != State::Notice)
            return m_rows.at(i).seq;
    }
    return 0;
}

int ThreadModel::insertPositionFor(qint64 seq, qint64 noticeId) const
{
    // Confirmed rows are sorted by (seq, noticeId), descending: find the first one at or below the key.
    int lo = m_pendingCount, hi = int(m_rows.size());
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        const Row &r = m_rows.at(mid);
        if (r.seq > seq || (r.seq == seq && r.noticeId > noticeId))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool ThreadModel::hasSeq(qint64 seq) const
{
    const int at = insertPositionFor(seq);
    return at < m_rows.size() && m_rows.at(at).seq == seq && m_rows.at(at).state != State::Notice;
}

bool ThreadModel::hasMore() const
{
    if (m_conversationId.isEmpty() || m_serverExhausted)
        return false;
    const qint64 oldest = oldestSeq();
    return oldest > 0 ? oldest > 1 : m_knownLastSeq > 0;
}

void ThreadModel::updateHasMore()
{
    const bool now = hasMore();
    if (now != m_lastHasMore) {
        m_lastHasMore = now;
        emit hasMoreChanged();
    }
}

bool ThreadModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_loading && !m_serverFailed && hasMore();
}

void ThreadModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    // Never insert rows inside the caller's stack: views call this while laying out or handling a reset.
    setLoading(true);
    const quint64 generation = m_generation;
    QTimer::singleShot(0, this, [this, generation] {
        if (generation != m_generation)
            return;
        const qint64 oldest = oldestSeq();
        const QList<StoredMessage> run = localRun(oldest);
        if (!run.isEmpty()) {
            setLoading(false);
            appendOlder(run);
            return;
        }
        fetchFromServer(oldest);
    });
}

QList<StoredMessage> ThreadModel::localRun(qint64 oldest) const
{
    const QList<StoredMessage> local = m_store->messages().messagesBefore(m_conversationId, oldest, PageSize);
    // Only an unbroken run continues the thread; a gap in seq means the store lacks messages the server has.
    QList<StoredMessage> run;
    qint64 expected = oldest > 0 ? oldest - 1 : m_knownLastSeq;
    for (const StoredMessage &m : local) {
        const qint64 seq = m.message.seq;
        const bool continues = run.isEmpty() && oldest == 0 ? seq >= expected : seq == expected;
        if (!continues)
            break;
        run.append(m);
        expected = seq - 1;
    }
    return run;
}

void ThreadModel::retryServer()
{
    if (!m_serverFailed)
        return;
    m_serverFailed = false;
    if (m_rows.size() == m_pendingCount && canFetchMore({}))
        fetchMore({});
}

void ThreadModel::appendOlder(const QList<StoredMessage> &newestFirst)
{
    QList<Row> fresh;
    fresh.reserve(newestFirst.size());
    const qint64 oldest = oldestSeq();
    QList<StoredMessage> older;
    for (const StoredMessage &m : newestFirst) {
        if (oldest == 0 || m.message.seq < oldest)
            older.append(m);
    }
    // Notices that followed these messages (and, at the very start of the thread, those before any message).
    QList<Row> notices;
    if (!older.isEmpty()) {
        const qint64 lowest = older.constLast().message.seq;
        notices = noticeRows(lowest == 1 ? 0 : lowest, oldest > 0 ? oldest - 1 : std::numeric_limits<qint64>::max());
    }
    qsizetype next = 0;
    for (const StoredMessage &m : std::as_const(older)) {
        while (next < notices.size() && notices.at(next).seq >= m.message.seq)
            fresh.append(notices.at(next++));
        fresh.append(rowFrom(m));
    }
    while (next < notices.size())
        fresh.append(notices.at(next++));
    if (!fresh.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        m_rows.append(fresh);
        for (int i = first; i < m_rows.size(); ++i)
            m_rows[i].flags = groupingOf(i);
        endInsertRows();
        regroup(first - 1);
        for (const Row &r : std::as_const(fresh)) {
            if (r.state != State::Notice)
                m_knownLastSeq = std::max(m_knownLastSeq, r.seq);
        }
        emit countChanged();
    }
    updateHasMore();
}

void ThreadModel::fetchFromServer(qint64 beforeSeq)
{
    setLoading(true);
    const quint64 generation = m_generation;
    m_api->fetchMessages(m_conversationId, beforeSeq, PageSize, this,
                         [this, generation, beforeSeq](const ApiResult &result) {
                             if (generation != m_generation)
                                 return;
                             setLoading(false);
                             if (!result.ok()) {
                                 m_serverFailed = true;
                                 // Offline with an incomplete store: show what the device has rather than nothing.
                                 if (beforeSeq == 0 && m_rows.size() == m_pendingCount)
                                     appendOlder(m_store->messages().messagesBefore(m_conversationId, 0, PageSize));
                                 updateHasMore();
                                 return;
                             }
                             QList<Message> received;
                             const QJsonArray list = result.body.value(QLatin1String("messages")).toArray();
                             for (const QJsonValue &value : list) {
                                 if (auto m = Message::fromJson(value.toObject()))
                                     received.append(*m);
                             }
                             // Opened oldest first, so the replay check sees the original before any repeat of it.
                             std::sort(received.begin(), received.end(),
                                       [](const Message &a, const Message &b) { return a.seq < b.seq; });
                             QList<StoredMessage> messages;
                             m_store->beginBatch();
                             for (const Message &m : std::as_const(received)) {
                                 if (m_receive) {
                                     messages.append(m_receive(m));
                                 } else {
                                     m_store->messages().applyMessage(m, QString());
                                     messages.append(StoredMessage{m, Verification::Unopened, MessageCheck::Ok});
                                 }
                             }
                             m_store->endBatch();
                             std::reverse(messages.begin(), messages.end());
                             if (!result.body.value(QLatin1String("hasMore")).toBool(false) || messages.isEmpty())
                                 m_serverExhausted = true;
                             appendOlder(messages);
                         });
}

void ThreadModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged();
}

void ThreadModel::addMessage(const StoredMessage &stored)
{
    const Message &message = stored.message;
    if (message.conversationId != m_conversationId || m_conversationId.isEmpty())
        return;
    m_knownLastSeq = std::max(m_knownLastSeq, message.seq);
    const qint64 oldest = oldestSeq();
    // Older than what is loaded: paging will bring it in its turn.
    if (oldest > 0 && message.seq < oldest)
        return;
    if (hasSeq(message.seq))
        return;
    const int at = insertPositionFor(message.seq);
    Row row = rowFrom(stored);
    beginInsertRows({}, at, at);
    m_rows.insert(at, row);
    m_rows[at].flags = groupingOf(at);
    endInsertRows();
    regroup(at - 1);
    emit countChanged();
    updateHasMore();
}

void ThreadModel::updateMessage(const StoredMessage &stored)
{
    const Message &message = stored.message;
    if (message.conversationId != m_conversationId || m_conversationId.isEmpty() || !hasSeq(message.seq))
        return;
    const int at = insertPositionFor(message.seq);
    Row &row = m_rows[at];
    if (row.messageId != message.id)
        return;
    const QString detailBefore = m_deliveryDetails.value(message.id);
    const Row updated = rowFrom(stored);
    QList<int> roles;
    if (updated.verification != row.verification || updated.check != row.check || updated.body != row.body)
        roles << BodyRole << Qt::DisplayRole << VerificationRole << VerificationTextRole;
    if (updated.delivery != row.delivery)
        roles << DeliveryStateRole;
    if (updated.delivery != row.delivery || m_deliveryDetails.value(message.id) != detailBefore) {
        if (updated.delivery == Delivery::Failed || row.delivery == Delivery::Failed)
            roles << FailureReasonRole;
    }
    if (updated.delivery != Delivery::Failed)
        m_deliveryDetails.remove(message.id);
    const auto countOf = [](const Row &r) { return r.files ? r.files->size() : 0; };
    const bool filesDiffer = bool(updated.files) != bool(row.files) || (updated.files && *updated.files != *row.files);
    if (countOf(updated) != countOf(row))
        roles << AttachmentCountRole;
    if (roles.isEmpty() && !filesDiffer)
        return;
    if (filesDiffer)
        row.files = updated.files;
    row.verification = updated.verification;
    row.check = updated.check;
    row.body = updated.body;
    row.delivery = updated.delivery;
    if (!roles.isEmpty())
        emit dataChanged(index(at), index(at), roles);
    if (filesDiffer)
        emit filesChanged(message.id, row.clientId);
}

void ThreadModel::setStandard(const std::optional<StandardContact> &standard)
{
    if (standard == m_standard)
        return;
    const auto consentBefore = m_standard ? m_standard->consent : std::nullopt;
    m_standard = standard;
    if ((m_standard ? m_standard->consent : std::nullopt) == consentBefore)
        return;
    // Which method a consent note names depends on the consent on file: those notes read anew.
    for (int row = m_pendingCount; row < m_rows.size(); ++row) {
        if (m_rows.at(row).noteKind == QLatin1String("consent_recorded"))
            emit dataChanged(index(row), index(row), {BodyRole, Qt::DisplayRole});
    }
}

void ThreadModel::addNotice(const ThreadNotice &notice)
{
    if (notice.conversationId != m_conversationId || m_conversationId.isEmpty())
        return;
    const qint64 oldest = oldestSeq();
    // Below what is loaded, paging brings it in its turn.
    if ((oldest > 0 && notice.afterSeq < oldest) || (oldest == 0 && hasMore()))
        return;
    const int at = insertPositionFor(notice.afterSeq, notice.id);
    if (at < m_rows.size() && m_rows.at(at).noticeId == notice.id && m_rows.at(at).state == State::Notice)
        return;
    beginInsertRows({}, at, at);
    m_rows.insert(at, rowFrom(notice));
    m_rows[at].flags = groupingOf(at);
    endInsertRows();
    regroup(at - 1);
    emit countChanged();
}

void ThreadModel::addPending(const OutboxEntry &entry)
{
    if (entry.conversationId != m_conversationId || m_conversationId.isEmpty())
        return;
    beginInsertRows({}, 0, 0);
    m_rows.insert(0, rowFrom(entry));
    ++m_pendingCount;
    m_rows[0].flags = groupingOf(0);
    endInsertRows();
    emit countChanged();
}

void ThreadModel::confirmMessage(const QString &clientId, const StoredMessage &stored)
{
    const Message &message = stored.message;
    m_uploads.remove(clientId); // the upload is over, whichever conversation is open
    if (message.conversationId != m_conversationId || m_conversationId.isEmpty())
        return;
    int from = -1;
    for (int i = 0; i < m_pendingCount; ++i) {
        if (m_rows.at(i).clientId == clientId) {
            from = i;
            break;
        }
    }
    if (from < 0) {
        addMessage(stored);
        return;
    }
    if (hasSeq(message.seq)) {
        // Already shown (e.g. paged in from the store): the echo just goes away.
        beginRemoveRows({}, from, from);
        m_rows.removeAt(from);
        --m_pendingCount;
        endRemoveRows();
        regroup(from - 1);
        emit countChanged();
        return;
    }
    m_knownLastSeq = std::max(m_knownLastSeq, message.seq);
    const int to = insertPositionFor(message.seq); // in current indexes, with the echo still at `from`
    const Row before = m_rows.at(from);
    Row confirmed = rowFrom(stored);
    if (!confirmed.files && before.files && stored.verification == Verification::Verified) {
        // A confirmation that does not list the file yet: the echo's card stays, under the message's id.
        confirmed.files = before.files;
        if (m_images)
            m_images->copyThumbnail(AttachmentImages::pendingKey(clientId), AttachmentImages::messageKey(message.id));
    }
    const int finalRow = to - 1;
    if (finalRow != from) {
        // The echo moves to where the server placed the message (others wrote in between).
        beginMoveRows({}, from, from, {}, to);
        m_rows.move(from, finalRow);
        --m_pendingCount;
        m_rows[finalRow] = confirmed;
        endMoveRows();
    } else {
        --m_pendingCount;
        m_rows[from] = confirmed;
    }
    m_rows[finalRow].flags = before.flags;
    QList<int> roles{MessageIdRole, DeliveryStateRole};
    if (confirmed.delivery == Delivery::Failed || before.state == State::Failed)
        roles << FailureReasonRole;
    if (before.sentAt != confirmed.sentAt)
        roles << SentAtRole << TimeTextRole;
    if (before.day != confirmed.day)
        roles << DayTextRole;
    if (before.senderName != confirmed.senderName)
        roles << SenderNameRole;
    const auto countOf = [](const Row &r) { return r.files ? r.files->size() : 0; };
    if (countOf(before) != countOf(confirmed))
        roles << AttachmentCountRole;
    m_failureReasons.remove(clientId);
    emit dataChanged(index(finalRow), index(finalRow), roles);
    // The cards follow: the upload is over, and the thumbnails go by the message's id.
    if (before.files || confirmed.files)
        emit filesChanged(message.id, clientId);
    for (int row : {from - 1, from, finalRow - 1, finalRow, finalRow + 1})
        regroup(row);
    updateHasMore();
}

void ThreadModel::failMessage(const QString &clientId, const QString &reason)
{
    for (int i = 0; i < m_pendingCount; ++i) {
        if (m_rows.at(i).clientId == clientId) {
            m_rows[i].state = State::Failed;
            m_failureReasons.insert(clientId, reason);
            emit dataChanged(index(i), index(i), {DeliveryStateRole, FailureReasonRole});
            if (m_rows.at(i).files)
                emit filesChanged(QString(), clientId);
            return;
        }
    }
}

void ThreadModel::updateReadState(const QString &conversationId, const QString &userId, qint64 lastReadSeq)
{
    if (conversationId != m_conversationId || userId == m_userId || lastReadSeq <= m_othersReadSeq)
        return;
    const qint64 previous = m_othersReadSeq;
    m_othersReadSeq = lastReadSeq;
    // Mine with previous < seq <= lastReadSeq turn from "sent" to "read"; rows are newest first.
    int first = -1, last = -1;
    for (int i = insertPositionFor(lastReadSeq); i < m_rows.size() && m_rows.at(i).seq > previous; ++i) {
        const Row &r = m_rows.at(i);
        // Read marks move secure messages from "sent" to "read"; SMS and email have their own delivery.
        if (r.senderId == m_userId && r.delivery == Delivery::None && !r.isNote() && r.state == State::Confirmed) {
            if (first < 0)
                first = i;
            last = i;
        }
    }
    if (first >= 0)
        emit dataChanged(index(first), index(last), {DeliveryStateRole});
}

} // namespace larch
