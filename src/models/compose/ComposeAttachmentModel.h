// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The files waiting in the compose bar as chips, before they are sent: what is accepted, why not, and previews.
#pragma once

#include "client/attachments/PendingAttachment.h"
#include "models/compose/ComposePreview.h"
#include "models/compose/ComposeRefusal.h"

#include <atomic>
#include <functional>
#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QThreadPool>
#include <QtQml/qqmlregistration.h>
#include <QUrl>

namespace larch {

/// The open conversation's pending attachments (chips); other conversations' chips wait in memory until they
/// are opened again. Files are checked by content when added; refusals become one sentence in `refusal`.
class ComposeAttachmentModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The compose bar's attachments are App.compose.attachments.")
    /// Chips in the open conversation's compose bar.
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    /// One sentence on why the last files were not added; "" when none. Cleared by the next add that takes a file
    /// (or refuses none), by dismissRefusal() and by opening another conversation.
    Q_PROPERTY(QString refusal READ refusal NOTIFY refusalChanged)
    /// The largest file the server takes, in bytes (GET /v1/limits); DefaultMaxBytes until it has answered.
    Q_PROPERTY(qint64 maxBytes READ maxBytes NOTIFY maxBytesChanged)
    /// maxBytes as people read it, e.g. "100 MB".
    Q_PROPERTY(QString maxSizeText READ maxSizeText NOTIFY maxBytesChanged)
    /// True while a chip's preview, HEIC-to-JPEG copy or metadata check is still being made; sending waits for it.
    Q_PROPERTY(bool preparing READ preparing NOTIFY preparingChanged)
public:
    enum Role {
        NameRole = Qt::UserRole + 1, ///< the name the file is sent under (sanitised), e.g. "Scan 2.pdf"
        SizeTextRole, ///< "2.4 MB"
        KindRole, ///< AttachmentKind: Image, Video or Pdf
        MimeRole, ///< detected from the content, e.g. "image/jpeg"
        ThumbnailRole, ///< "image://compose/<key>", "" while none (the chip shows the kind's icon)
        PagesRole, ///< PDFs: page count; 0 otherwise
        DurationMsRole, ///< videos: length when known; 0 otherwise
        ReadyRole, ///< false while the preview, HEIC conversion or metadata check is being made
    };
    Q_ENUM(Role)

    /// Chips one conversation may hold at once.
    static constexpr int MaxPending = 10;
    /// The server's default limit, used until /v1/limits answers.
    static constexpr qint64 DefaultMaxBytes = 100LL * 1024 * 1024;

    explicit ComposeAttachmentModel(QObject *parent = nullptr);
    ~ComposeAttachmentModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_items.size()); }
    QString refusal() const { return m_refusal; }
    qint64 maxBytes() const { return m_maxBytes; }
    QString maxSizeText() const;
    bool preparing() const;

    /// Adds local files (drops, the file picker, the camera): each is checked by content, refused ones are named in
    /// `refusal`, chips already there stay, the same file twice is one chip. Returns how many were added.
    Q_INVOKABLE int add(const QList<QUrl> &urls);
    Q_INVOKABLE void remove(int row);
    /// Removes every chip of the open conversation.
    Q_INVOKABLE void clear();
    Q_INVOKABLE void dismissRefusal();
    /// A new file path in the app's private folder for the camera to write to ("jpg", "mp4"); a file added from
    /// there is the app's own copy, removed once sent or dropped.
    Q_INVOKABLE QString capturePath(const QString &extension) const;
    /// capturePath as a file URL (MediaRecorder.outputLocation).
    Q_INVOKABLE QUrl captureUrl(const QString &extension) const;
    /// Adds what the camera wrote: a path (ImageCapture) or a file URL (MediaRecorder).
    Q_INVOKABLE int addCaptured(const QString &location);

    /// Shows another conversation's chips (its own, kept in memory); "" for none.
    void setConversation(const QString &conversationId);
    QString conversationId() const { return m_conversationId; }
    /// Why a conversation takes no attachments ("" when it does), e.g. a standard (SMS/email) one. Set by the app.
    using AcceptCheck = std::function<QString(const QString &conversationId)>;
    void setAcceptCheck(AcceptCheck check) { m_acceptCheck = std::move(check); }
    /// Why the open conversation takes no attachments now; "" when it does.
    QString acceptRefusal() const;
    void setMaxBytes(qint64 bytes);
    /// Where converted photos and camera captures are written (created owner-only); the app's data folder.
    void setPrivateDir(const QString &dir);
    QString privateDir() const { return m_privateDir; }
    /// The open conversation's chips as they would be sent now (previews may still be missing).
    QList<PendingAttachment> attachments() const;
    /// Removes the first count chips once the outbox holds their files; copies the app made become the outbox's
    /// to remove. Nothing while preparing.
    void takeFirst(int count);
    /// The app's own copies (converted photos, camera captures) behind chips of every conversation, which a
    /// sweep of the private folder must keep.
    QStringList ownedFiles() const;
    /// Removes the files in dir that are not in kept and were last written before `before` (so a conversion or
    /// capture in progress is left alone); returns how many went.
    static int sweepPrivateDir(const QString &dir, const QStringList &kept, const QDateTime &before);
    /// Drops every conversation's chips and the app's copies (signing out).
    void forgetAll();

signals:
    void countChanged();
    void refusalChanged();
    void maxBytesChanged();
    void preparingChanged();

private:
    /// One chip.
    struct Item {
        quint64 id = 0;
        PendingAttachment attachment;
        QString originPath; ///< the file the person chose (the duplicate check); attachment.sourcePath may be a copy
        QString thumbnailKey; ///< in ComposeThumbnails; "" without a thumbnail
        bool ready = false;
    };
    /// What checking one URL gave: a chip, a refusal, or nothing (a duplicate).
    struct Checked {
        std::optional<Item> item;
        std::optional<ComposeRefusal> refusal;
    };

    Checked check(const QUrl &url, const QList<Item> &adding) const;
    void startPreview(const Item &item);
    void applyPreview(quint64 id, const ComposePreview &preview);
    void applyVideo(quint64 id, qint64 durationMs, QSize size, const QImage &frame);
    /// The chip with this id wherever it waits (open or parked conversation); nullptr when it is gone.
    Item *findItem(quint64 id, int *row);
    void dropItem(quint64 id);
    void discard(const Item &item);
    void setRefusal(const QString &refusal);
    void notifyPreparing();

    QString m_conversationId;
    QList<Item> m_items;
    QHash<QString, QList<Item>> m_parked;
    QString m_refusal;
    qint64 m_maxBytes = DefaultMaxBytes;
    QString m_privateDir;
    AcceptCheck m_acceptCheck;
    quint64 m_nextId = 1;
    bool m_lastPreparing = false;
    std::atomic_bool m_closing = false; ///< set as the model goes: checks still reading stop
    /// Decoding photos and rendering PDFs is slow for the GUI thread; one at a time keeps memory bounded.
    /// Declared last: destroyed (waiting for its jobs) before anything they report into.
    QThreadPool m_pool;
};

} // namespace larch
