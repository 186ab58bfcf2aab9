// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The open conversation's messages, newest first, paged from the local store and then the server.
#pragma once

#include "client/store/LocalStore.h"
#include "models/thread/MessageFile.h"
#include "models/thread/MessageStates.h"

#include <functional>
#include <memory>
#include <QAbstractListModel>
#include <QHash>
#include <QtQml/qqmlregistration.h>

namespace larch {

class ApiClient;
class AttachmentImages;

/// Messages of one conversation: row 0 is the newest; pending local echoes sit above the confirmed ones.
/// Notices the app wrote (a member's device added or removed) sit just after the message they followed.
/// A message carrying files shows each of them (MessageAttachmentModel reads them here: files(), shownFiles(),
/// filesChanged); the body is then their caption.
class ThreadModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The open thread is App.thread.")
    /// The open conversation's id; "" when none is open.
    Q_PROPERTY(QString conversationId READ conversationId NOTIFY conversationIdChanged)
    /// True while older messages are being fetched from the server.
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    /// True while older messages exist that are not loaded yet.
    Q_PROPERTY(bool hasMore READ hasMore NOTIFY hasMoreChanged)
    /// Rows currently loaded.
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    static constexpr int PageSize = 50;

    enum Role {
        MessageIdRole = Qt::UserRole + 1, ///< messageId: the server's id; "" while pending
        ClientIdRole, ///< clientId: the sending device's id for the message
        BodyRole, ///< body: the text
        SenderNameRole, ///< senderName: who wrote it
        IsMineRole, ///< isMine: written by the signed-in user
        SentAtRole, ///< sentAt: QDateTime (server time once confirmed, device time while pending)
        TimeTextRole, ///< timeText: "14:05"
        DayTextRole, ///< dayText: "Today", "Yesterday", "Monday 23 November"
        ShowDaySeparatorRole, ///< showDaySeparator: the oldest message of its day (the older row is another day or none)
        DeliveryStateRole, ///< deliveryState (DeliveryState): secure: Pending, Failed, Sent, Read for mine, Received
        ///< for others'. Standard (SMS/email): Pending and Failed (refused) before the server
        ///< has it, then Queued, Sent, Delivered or Failed for the practice's messages,
        ///< Received for the patient's. None for notices
        IsFirstOfGroupRole, ///< isFirstOfGroup: the older neighbour has another sender or day, or there is none
        FailureReasonRole, ///< failureReason: why a Failed message failed (the server's or gateway's sentence); "" otherwise
        KindRole, ///< kind (MessageKind): Message, or Notice (body holds the app's sentence; sender roles are empty):
        ///< a line this device wrote, or a note the server wrote (consent, STOP/START, invited)
        VerificationRole, ///< verification (VerificationState): Verified, Unverifiable or KeyPending; body is "" unless
        ///< Verified
        VerificationTextRole, ///< verificationText: why it is unverifiable, or that its key is on its way; "" when verified
        LinkConversationIdRole, ///< linkConversationId: the secure conversation an "Invited to a secure conversation."
        ///< notice opens (App.current.open); "" otherwise
        AttachmentCountRole, ///< attachmentCount: files the message carries (up to four), each shown by the row's
        ///< MessageAttachmentModel; 0 for a message without files and for one that did not verify (its files never
        ///< show)
    };
    Q_ENUM(Role)

    /// Opens and stores a message fetched from the server (SyncEngine::receiveFromServer).
    using Receive = std::function<StoredMessage(const Message &message)>;

    ThreadModel(LocalStore *store, ApiClient *api, QObject *parent = nullptr);
    /// Without one, messages fetched from the server are stored unopened.
    void setReceive(Receive receive) { m_receive = std::move(receive); }
    /// The sentence of a message whose key has not reached this device yet.
    static QString keyPendingText();

    /// The signed-in user, to tell mine from theirs and to name the sender of local echoes.
    void setUser(const QString &userId, const QString &userName)
    {
        m_userId = userId;
        m_userName = userName;
    }
    /// Shows a conversation: its pending messages and the newest page from the local store.
    void open(const QString &conversationId);
    void close();

    QString conversationId() const { return m_conversationId; }
    bool isLoading() const { return m_loading; }
    bool hasMore() const;
    int count() const { return int(m_rows.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    /// Allows server paging again after a failed fetch (called when the connection is back).
    void retryServer();

    /// Where thumbnails go for the "attachment" image provider; without it rows have no thumbnail URL.
    void setImages(std::shared_ptr<AttachmentImages> images) { m_images = std::move(images); }
    /// Where a message's file stands on this device (AttachmentViewer reports it).
    enum class Download : quint8 { None, Downloading, Ready, Failed };

    /// The files of a shown message, a confirmed one found by its id, a local echo by its client id; null when it
    /// carries none, did not verify, or is not shown. The list never changes: a change makes another.
    std::shared_ptr<const MessageFiles> files(const QString &messageId, const QString &clientId) const;
    /// Those files as their cards show them: details, thumbnail, and each one's upload or download; empty likewise.
    QList<ShownFile> shownFiles(const QString &messageId, const QString &clientId) const;
    /// The bytes one row takes beside the text of its strings: a message's files add one shared list, text alone
    /// adds nothing (models_thread_files holds it to its size before messages showed all their files).
    static constexpr std::size_t rowBytes() { return sizeof(Row); }

public slots:
    void addMessage(const larch::StoredMessage &message);
    /// A shown message was opened, or its verification changed.
    void updateMessage(const larch::StoredMessage &message);
    void addNotice(const larch::ThreadNotice &notice);
    void addPending(const larch::OutboxEntry &entry);
    void confirmMessage(const QString &clientId, const larch::StoredMessage &message);
    void failMessage(const QString &clientId, const QString &reason);
    void updateReadState(const QString &conversationId, const QString &userId, qint64 lastReadSeq);
    /// The open standard conversation's contact and consent changed: consent notes name the method they recorded.
    void setStandard(const std::optional<larch::StandardContact> &standard);
    /// A local echo's file is uploading (Outbox::uploadProgress): done of total encrypted bytes are on the server.
    void setUploadProgress(const QString &clientId, qint64 done, qint64 total);
    /// A message's file (index: its place in the message, from 0) is downloading (progress 0..1), ready, failed
    /// with a sentence, or released (None). An index no message can have, or one past the shown message's files,
    /// is ignored.
    void setDownload(const QString &messageId, int index, larch::ThreadModel::Download state, double progress = 0,
                     const QString &error = {});
    /// A local echo went away without being sent (its upload was cancelled).
    void removePending(const QString &clientId);

signals:
    void conversationIdChanged();
    void loadingChanged();
    void hasMoreChanged();
    void countChanged();
    /// A shown message's files changed (it opened, a local echo was confirmed or failed), or the upload or download
    /// of one of them moved; its MessageAttachmentModel reads them again. Either id may be "".
    void filesChanged(const QString &messageId, const QString &clientId);

private:
    enum class State : quint8 { Pending, Failed, Confirmed, Notice };
    enum Flag : quint8 { DaySeparator = 1, FirstOfGroup = 2 };
    /// Where a standard message stands; None for secure messages and notices.
    enum class Delivery : quint8 { None, Queued, Sent, Delivered, Failed, Received };
    /// An upload's or download's progress and outcome.
    struct Transfer {
        Download state = Download::None; ///< downloads; uploads use only done/total
        qint64 done = 0;
        qint64 total = 0;
        double progress = 0;
        QString error;
    };

    /// One message, kept compact: no QVariant or JSON per row.
    struct Row {
        QString messageId;
        QString clientId;
        QString body;
        QString senderId; ///< shared between rows of the same sender
        QString senderName; ///< shared likewise
        qint64 seq = 0; ///< 0 while pending; for a notice, the seq of the message it follows
        qint64 noticeId = 0; ///< 0 for messages; orders notices after the message with the same seq
        qint64 sentAt = 0;
        qint32 day = 0; ///< local julian day of sentAt
        State state = State::Confirmed;
        Verification verification = Verification::Verified;
        MessageCheck check = MessageCheck::Ok;
        quint8 flags = 0;
        Delivery delivery = Delivery::None;
        QString noteKind; ///< a server note's kind (interned); "" for what people wrote
        QString link; ///< a note's conversation (the new secure thread); "" otherwise
        std::shared_ptr<const MessageFiles> files; ///< null for a message without files
        bool isNote() const { return !noteKind.isEmpty(); }
    };
    // Thousands of rows are kept: showing every file of a message must not make a row of mere text larger.
    static_assert(sizeof(void *) != 8 || sizeof(Row) <= 232, "a thread row outgrew its 232 bytes");

    Row rowFrom(const StoredMessage &message);
    Row rowFrom(const OutboxEntry &entry);
    Row rowFrom(const ThreadNotice &notice);
    /// Stored notices shown between loaded messages: those following seqs in [fromSeq, toSeq].
    QList<Row> noticeRows(qint64 fromSeq, qint64 toSeq);
    QString intern(const QString &text);
    quint8 groupingOf(int row) const;
    /// Recomputes a row's grouping flags and signals only the roles that changed.
    void regroup(int row);
    /// First confirmed row ordered at or below (seq, noticeId): rows are newest first.
    int insertPositionFor(qint64 seq, qint64 noticeId = 0) const;
    bool hasSeq(qint64 seq) const;
    qint64 oldestSeq() const;
    /// Stored messages continuing the thread below `oldest` (0: from the newest), stopping at a gap.
    QList<StoredMessage> localRun(qint64 oldest) const;
    void appendOlder(const QList<StoredMessage> &newestFirst);
    void fetchFromServer(qint64 beforeSeq);
    void setLoading(bool loading);
    void updateHasMore();
    DeliveryState::Value deliveryState(const Row &row) const;
    QString verificationText(const Row &row) const;
    /// The sentence a server note reads as.
    QString noteText(const Row &row) const;
    static Delivery deliveryOf(const Message &message);
    /// The files of a stored message, their thumbnails kept in m_images under the message's file keys.
    std::shared_ptr<const MessageFiles> filesOf(const QList<AttachmentRef> &refs, const QString &messageId);
    /// The one file of a local echo, its thumbnail kept under the echo's key.
    std::shared_ptr<const MessageFiles> filesOf(const OutboxEntry &entry);
    /// The row showing a message: by id when it has one, else the echo (or confirmed message) with the client id.
    int rowOf(const QString &messageId, const QString &clientId) const;
    ShownFile shownFile(const Row &row, int index) const;
    AttachmentState::Value fileState(const Row &row, int index) const;
    double fileProgress(const Row &row, int index) const;
    QString fileError(const Row &row, int index) const;

    LocalStore *m_store;
    ApiClient *m_api;
    Receive m_receive;
    QString m_userId;
    QString m_userName;
    QString m_conversationId;
    QList<Row> m_rows;
    int m_pendingCount = 0; ///< rows [0, m_pendingCount) are local echoes
    QHash<QString, QString> m_interned;
    QHash<QString, QString> m_failureReasons;
    QHash<QString, QString> m_deliveryDetails; ///< message id → why its SMS/email failed
    QHash<QString, Transfer> m_uploads; ///< client id → a local echo's upload
    QHash<std::pair<QString, int>, Transfer> m_downloads; ///< (message id, file index) → that file's download here
    std::shared_ptr<AttachmentImages> m_images;
    std::optional<StandardContact> m_standard; ///< the open standard conversation's contact and consent
    qint64 m_knownLastSeq = 0; ///< newest seq the conversation is known to have
    qint64 m_othersReadSeq = 0; ///< highest read mark of any other member
    bool m_loading = false;
    bool m_serverExhausted = false;
    bool m_serverFailed = false;
    bool m_lastHasMore = false;
    quint64 m_generation = 0;
};

} // namespace larch
