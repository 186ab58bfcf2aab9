// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/compose/ComposeAttachmentModel.h"

#include "client/attachments/AttachmentSource.h"
#include "core/attachments/AttachmentType.h"
#include "core/attachments/MetadataStripper.h"
#include "core/threads/PostTo.h"
#include "models/attachments/AttachmentStates.h"
#include "models/attachments/AttachmentText.h"
#include "models/compose/ComposeImageProvider.h"
#include "models/compose/ComposeVideoProbe.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QPdfDocument>
#include <QSet>
#include <QUuid>

namespace larch {

namespace {

// More than sniffAttachmentType needs (AttachmentSniffBytes), so a longer signature never misses by a few bytes.
constexpr qint64 HeadBytes = 4096;

const QString HeicMime = QStringLiteral("image/heic");

// The path QFile opens for a dropped or picked URL; "" when it is not a file on this device. Android's pickers
// hand out content:// URLs, which QFile opens there.
QString localPath(const QUrl &url)
{
    if (url.isLocalFile())
        return url.toLocalFile();
#ifdef Q_OS_ANDROID
    if (url.scheme() == QLatin1String("content"))
        return url.toString();
#endif
    return {};
}

// The name a person knows the URL by, for refusals ("Scans" for a folder given with a trailing slash).
QString displayName(const QUrl &url)
{
    const QString path = url.isLocalFile() ? url.toLocalFile() : url.path();
    QString name = QFileInfo(path).fileName();
    if (name.isEmpty())
        name = QDir(path).dirName();
    if (name.isEmpty())
        name = url.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
    return name;
}

} // namespace

ComposeAttachmentModel::ComposeAttachmentModel(QObject *parent) : QAbstractListModel(parent)
{
    m_pool.setMaxThreadCount(1);
}

ComposeAttachmentModel::~ComposeAttachmentModel()
{
    m_closing = true; // a check reading a large video stops at its next piece
    m_pool.clear();
    m_pool.waitForDone();
    for (const Item &item : std::as_const(m_items))
        discard(item);
    for (const QList<Item> &items : std::as_const(m_parked)) {
        for (const Item &item : items)
            discard(item);
    }
}

int ComposeAttachmentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant ComposeAttachmentModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items.at(index.row());
    const PendingAttachment &a = item.attachment;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return a.name;
    case SizeTextRole: return AttachmentText::sizeText(a.sourceSize);
    case KindRole: return QVariant::fromValue(AttachmentKind::fromName(a.type.kind));
    case MimeRole: return a.type.mime;
    case ThumbnailRole: return ComposeThumbnails::url(item.thumbnailKey);
    case PagesRole: return a.pages;
    case DurationMsRole: return a.durationMs;
    case ReadyRole: return item.ready;
    default: return {};
    }
}

QHash<int, QByteArray> ComposeAttachmentModel::roleNames() const
{
    return {{NameRole, "name"},
            {SizeTextRole, "sizeText"},
            {KindRole, "kind"},
            {MimeRole, "mime"},
            {ThumbnailRole, "thumbnail"},
            {PagesRole, "pages"},
            {DurationMsRole, "durationMs"},
            {ReadyRole, "ready"}};
}

QString ComposeAttachmentModel::maxSizeText() const { return AttachmentText::sizeText(m_maxBytes); }

bool ComposeAttachmentModel::preparing() const
{
    return std::any_of(m_items.cbegin(), m_items.cend(), [](const Item &item) { return !item.ready; });
}

QString ComposeAttachmentModel::acceptRefusal() const
{
    if (m_conversationId.isEmpty())
        return QStringLiteral("Open a conversation to add attachments.");
    return m_acceptCheck ? m_acceptCheck(m_conversationId) : QString();
}

int ComposeAttachmentModel::add(const QList<QUrl> &urls)
{
    if (urls.isEmpty())
        return 0;
    const QString blocked = acceptRefusal();
    if (!blocked.isEmpty()) {
        setRefusal(blocked);
        return 0;
    }
    QList<Item> adding;
    QList<ComposeRefusal> refusals;
    for (const QUrl &url : urls) {
        Checked checked = check(url, adding);
        if (checked.refusal) {
            refusals << *checked.refusal;
            // A camera capture nobody can send is of no use to anyone: it is the app's own file, so it goes.
            const QString path = localPath(url);
            if (!path.isEmpty() && !m_privateDir.isEmpty()
                && QFileInfo(path).absolutePath() == QDir(m_privateDir).absolutePath() && QFileInfo(path).isFile())
                QFile::remove(path);
        } else if (checked.item) {
            checked.item->id = m_nextId++;
            adding << *checked.item;
        }
    }
    if (!adding.isEmpty()) {
        const int first = int(m_items.size());
        beginInsertRows({}, first, first + int(adding.size()) - 1);
        m_items << adding;
        endInsertRows();
        emit countChanged();
        for (const Item &item : std::as_const(adding))
            startPreview(item);
        notifyPreparing();
    }
    setRefusal(composeRefusalSentence(refusals, m_maxBytes, MaxPending));
    return int(adding.size());
}

ComposeAttachmentModel::Checked ComposeAttachmentModel::check(const QUrl &url, const QList<Item> &adding) const
{
    Checked result;
    using Reason = ComposeRefusal::Reason;
    const QString name = displayName(url);
    const auto refuse = [&](Reason reason, qint64 size = 0) {
        result.refusal = ComposeRefusal{name, reason, size};
        return result;
    };
    const QString path = localPath(url);
    if (path.isEmpty())
        return refuse(Reason::NotLocal);
    const QFileInfo info(path);
    if (info.isDir())
        return refuse(Reason::Folder);
    if (!info.exists()) // also a link whose target is gone
        return refuse(Reason::Unreadable);
    if (!info.isFile() && url.isLocalFile()) // a device, a pipe, a socket: opening one could block or never end
        return refuse(Reason::Unsupported);

    const QString canonical = url.isLocalFile() ? info.canonicalFilePath() : path;
    const auto same = [&](const Item &item) { return item.originPath == canonical; };
    if (std::any_of(m_items.cbegin(), m_items.cend(), same) || std::any_of(adding.cbegin(), adding.cend(), same))
        return result; // already a chip: adding it again changes nothing and needs no sentence
    if (m_items.size() + adding.size() >= MaxPending)
        return refuse(Reason::TooMany);

    QFile file(canonical);
    if (!file.open(QIODevice::ReadOnly))
        return refuse(Reason::Unreadable);
    const qint64 size = file.size();
    if (size == 0)
        return refuse(Reason::Empty);
    if (size > m_maxBytes)
        return refuse(Reason::TooLarge, size);
    const QByteArray head = file.read(HeadBytes);
    if (head.isEmpty())
        return refuse(Reason::Unreadable);
    file.close();
    const std::optional<AttachmentType> type = sniffAttachmentType(head);
    if (!type)
        return refuse(Reason::Unsupported);

    PendingAttachment a;
    a.sourcePath = canonical;
    a.type = *type;
    a.name = sanitizeAttachmentName(info.fileName(), *type);
    a.sourceSize = size;
    a.sourceModifiedMs = info.lastModified().toMSecsSinceEpoch();
    // Photos lose EXIF/GPS/XMP and videos their location, make and model boxes as the upload streams them.
    a.stripMetadata = carriesMetadata(type->mime);
    const QString ownDir = m_privateDir.isEmpty() ? QString() : QDir(m_privateDir).canonicalPath();
    a.ownsSource = !ownDir.isEmpty() && info.canonicalPath() == ownDir;

    if (type->mime == HeicMime) {
        // Recipients' devices may not show HEIC; Larch sends a JPEG copy, which needs a decoder here.
        QImageReader reader(canonical);
        if (!reader.canRead())
            return refuse(Reason::HeicUnreadable);
    } else if (type->kind == QLatin1String("pdf")) {
        // Opening is quick (PDFium reads the cross-reference table, not the pages); rendering waits for the worker.
        QPdfDocument document;
        const QPdfDocument::Error error = document.load(canonical);
        if (error == QPdfDocument::Error::IncorrectPassword)
            return refuse(Reason::PdfPassword);
        if (error != QPdfDocument::Error::None || document.pageCount() < 1)
            return refuse(Reason::PdfDamaged);
        a.pages = document.pageCount();
    }

    Item item;
    item.attachment = a;
    item.originPath = canonical;
    // A video's details are a nicety (see ComposeVideoProbe): its chip waits only for the check that its metadata
    // can be removed (startPreview), which reads the file once; one without such metadata is sendable at once.
    item.ready = type->kind == QLatin1String("video") && !a.stripMetadata;
    result.item = item;
    return result;
}

void ComposeAttachmentModel::startPreview(const Item &item)
{
    const quint64 id = item.id;
    const PendingAttachment &a = item.attachment;
    const auto stopped = [this] { return m_closing.load(); };
    // Sending reads the file through the metadata stripper; a file it cannot parse is refused now, not then. The
    // same reading tells the orientation a PNG or WebP declares, which the stripper cannot keep.
    const auto checkMetadata = [stopped](const PendingAttachment &file, ComposePreview &preview) {
        AttachmentSource source(file);
        preview.malformed = !source.check(stopped) && source.problem() == AttachmentSource::Problem::Malformed;
        return source.orientation();
    };
    if (a.type.kind == QLatin1String("video")) {
        auto *probe = new ComposeVideoProbe(a.sourcePath, this);
        connect(probe, &ComposeVideoProbe::finished, this,
                [this, id, probe](qint64 durationMs, QSize size, const QImage &frame) {
                    probe->deleteLater();
                    applyVideo(id, durationMs, size, frame);
                });
        if (a.stripMetadata) {
            runInPool(
                m_pool, this,
                [a, checkMetadata] {
                    ComposePreview preview;
                    checkMetadata(a, preview);
                    return preview;
                },
                [this, id](const ComposePreview &preview) { applyPreview(id, preview); });
        }
        return;
    }
    const QString path = a.sourcePath;
    const bool heic = a.type.mime == HeicMime;
    const bool pdf = a.type.kind == QLatin1String("pdf");
    // Where a converted or upright copy would go (HEIC always; a PNG or WebP only when its orientation says so).
    const bool mayNeedCopy = heic || needsUprightCopy(a.type.mime, ExifOrientation::Rotated90);
    const QString copyPath = !mayNeedCopy || m_privateDir.isEmpty()
        ? QString()
        : QDir(m_privateDir)
              .filePath(QStringLiteral("photo-%1.%2")
                            .arg(QUuid::createUuid().toString(QUuid::Id128),
                                 heic ? QStringLiteral("jpg") : a.type.mime.section(u'/', 1)));
    // The pool is waited for before this model goes, so the answer always finds it.
    const auto work = [a, path, heic, pdf, copyPath, checkMetadata] {
        ComposePreview preview;
        if (heic && copyPath.isEmpty())
            preview.failed = true; // no private folder to put the copy in
        else if (heic)
            preview = convertPhotoToJpeg(path, copyPath); // written by Qt without metadata, upright
        else
            preview = pdf ? previewPdf(path) : previewImage(path);
        if (!heic && a.stripMetadata) {
            const ExifOrientation orientation = checkMetadata(a, preview);
            if (!preview.malformed && needsUprightCopy(a.type.mime, orientation)) {
                if (!copyPath.isEmpty())
                    preview = uprightPhotoCopy(path, a.type.mime, orientation, copyPath);
                preview.uprightFailed = preview.convertedPath.isEmpty();
            }
        }
        return preview;
    };
    runInPool(m_pool, this, work, [this, id](const ComposePreview &preview) { applyPreview(id, preview); });
}

void ComposeAttachmentModel::applyPreview(quint64 id, const ComposePreview &preview)
{
    int row = -1;
    Item *item = findItem(id, &row);
    if (!item) { // removed while its preview was being made
        if (!preview.convertedPath.isEmpty())
            QFile::remove(preview.convertedPath);
        return;
    }
    PendingAttachment &a = item->attachment;
    if (preview.malformed) {
        const QString name = QFileInfo(item->originPath).fileName();
        const bool video = a.type.kind == QLatin1String("video");
        dropItem(id);
        setRefusal(composeRefusalSentence(
            {{name, video ? ComposeRefusal::Reason::VideoDamaged : ComposeRefusal::Reason::PhotoDamaged, 0}},
            m_maxBytes, MaxPending));
        return;
    }
    const bool heic = a.type.mime == HeicMime;
    if ((heic && preview.failed) || preview.uprightFailed) {
        // Without its copy the photo would arrive unreadable (HEIC) or sideways (a turned PNG or WebP).
        const QString name = QFileInfo(item->originPath).fileName();
        dropItem(id);
        setRefusal(composeRefusalSentence(
            {{name, heic ? ComposeRefusal::Reason::ConversionFailed : ComposeRefusal::Reason::UprightFailed, 0}},
            m_maxBytes, MaxPending));
        return;
    }
    if (!preview.convertedPath.isEmpty()) {
        const AttachmentType type{preview.convertedMime, QStringLiteral("image")};
        if (a.ownsSource) // a photo the camera wrote or Larch converted: the copy replaces it
            QFile::remove(a.sourcePath);
        a.sourcePath = preview.convertedPath;
        a.ownsSource = true;
        if (heic)
            a.name =
                sanitizeAttachmentName(QFileInfo(item->originPath).completeBaseName() + QStringLiteral(".jpg"), type);
        a.type = type;
        a.sourceSize = QFileInfo(preview.convertedPath).size();
        a.sourceModifiedMs = QFileInfo(preview.convertedPath).lastModified().toMSecsSinceEpoch();
        a.stripMetadata = true;
    }
    if (preview.width > 0 && preview.height > 0) {
        a.width = preview.width;
        a.height = preview.height;
    }
    if (preview.pages > 0)
        a.pages = preview.pages;
    if (!preview.thumbnail.isEmpty()) // a video's check brings none: its probe's frame stays
        a.thumbnail = preview.thumbnail;
    if (!preview.image.isNull()) {
        ComposeThumbnails::remove(item->thumbnailKey);
        item->thumbnailKey = ComposeThumbnails::put(preview.image);
    }
    item->ready = true;
    if (row >= 0)
        emit dataChanged(index(row), index(row));
    notifyPreparing();
}

void ComposeAttachmentModel::applyVideo(quint64 id, qint64 durationMs, QSize size, const QImage &frame)
{
    int row = -1;
    Item *item = findItem(id, &row);
    if (!item)
        return;
    PendingAttachment &a = item->attachment;
    a.durationMs = std::max<qint64>(0, durationMs);
    if (size.isValid()) {
        a.width = size.width();
        a.height = size.height();
    }
    if (!frame.isNull()) {
        a.thumbnail = encodeThumbnail(frame);
        if (!a.thumbnail.isEmpty()) {
            ComposeThumbnails::remove(item->thumbnailKey);
            item->thumbnailKey = ComposeThumbnails::put(QImage::fromData(a.thumbnail, "JPEG"));
        }
    }
    if (row >= 0)
        emit dataChanged(index(row), index(row));
}

ComposeAttachmentModel::Item *ComposeAttachmentModel::findItem(quint64 id, int *row)
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).id == id) {
            *row = i;
            return &m_items[i];
        }
    }
    *row = -1;
    for (QList<Item> &items : m_parked) {
        for (Item &item : items) {
            if (item.id == id)
                return &item;
        }
    }
    return nullptr;
}

void ComposeAttachmentModel::dropItem(quint64 id)
{
    int row = -1;
    if (!findItem(id, &row))
        return;
    if (row >= 0) {
        remove(row);
        return;
    }
    for (auto it = m_parked.begin(); it != m_parked.end(); ++it) {
        QList<Item> &items = it.value();
        for (int i = 0; i < items.size(); ++i) {
            if (items.at(i).id == id) {
                discard(items.takeAt(i));
                if (items.isEmpty())
                    m_parked.erase(it);
                return;
            }
        }
    }
}

void ComposeAttachmentModel::discard(const Item &item)
{
    ComposeThumbnails::remove(item.thumbnailKey);
    if (item.attachment.ownsSource)
        QFile::remove(item.attachment.sourcePath);
}

void ComposeAttachmentModel::remove(int row)
{
    if (row < 0 || row >= m_items.size())
        return;
    beginRemoveRows({}, row, row);
    discard(m_items.takeAt(row));
    endRemoveRows();
    emit countChanged();
    notifyPreparing();
}

void ComposeAttachmentModel::clear()
{
    if (m_items.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_items.size()) - 1);
    for (const Item &item : std::as_const(m_items))
        discard(item);
    m_items.clear();
    endRemoveRows();
    emit countChanged();
    notifyPreparing();
}

void ComposeAttachmentModel::dismissRefusal() { setRefusal(QString()); }

QString ComposeAttachmentModel::capturePath(const QString &extension) const
{
    if (m_privateDir.isEmpty() || !QDir().mkpath(m_privateDir))
        return {};
    QString ext;
    for (const QChar c : extension) {
        if (c.isLetterOrNumber() && c.unicode() < 128 && ext.size() < 5)
            ext += c.toLower();
    }
    if (ext.isEmpty())
        ext = QStringLiteral("bin");
    return QDir(m_privateDir)
        .filePath(QStringLiteral("capture-%1.%2").arg(QUuid::createUuid().toString(QUuid::Id128), ext));
}

QUrl ComposeAttachmentModel::captureUrl(const QString &extension) const
{
    const QString path = capturePath(extension);
    return path.isEmpty() ? QUrl() : QUrl::fromLocalFile(path);
}

int ComposeAttachmentModel::addCaptured(const QString &location)
{
    if (location.isEmpty())
        return 0;
    const QUrl url(location);
    return add({url.scheme().size() > 1 ? url : QUrl::fromLocalFile(location)}); // "C:/…" is a path, not a scheme
}

void ComposeAttachmentModel::setConversation(const QString &conversationId)
{
    if (conversationId == m_conversationId)
        return;
    beginResetModel();
    if (!m_conversationId.isEmpty() && !m_items.isEmpty())
        m_parked.insert(m_conversationId, m_items);
    m_items = conversationId.isEmpty() ? QList<Item>() : m_parked.take(conversationId);
    m_conversationId = conversationId;
    endResetModel();
    emit countChanged();
    setRefusal(QString());
    notifyPreparing();
}

void ComposeAttachmentModel::setMaxBytes(qint64 bytes)
{
    if (bytes <= 0 || bytes == m_maxBytes)
        return;
    m_maxBytes = bytes;
    emit maxBytesChanged();
}

void ComposeAttachmentModel::setPrivateDir(const QString &dir)
{
    m_privateDir = dir;
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
}

QList<PendingAttachment> ComposeAttachmentModel::attachments() const
{
    QList<PendingAttachment> all;
    for (const Item &item : m_items)
        all << item.attachment;
    return all;
}

void ComposeAttachmentModel::takeFirst(int count)
{
    count = std::min(count, int(m_items.size()));
    if (count <= 0 || preparing())
        return;
    beginRemoveRows({}, 0, count - 1);
    for (int i = 0; i < count; ++i)
        ComposeThumbnails::remove(m_items.at(i).thumbnailKey); // its file, copy or not, is the outbox's now
    m_items.remove(0, count);
    endRemoveRows();
    emit countChanged();
    notifyPreparing();
}

void ComposeAttachmentModel::forgetAll()
{
    beginResetModel();
    for (const Item &item : std::as_const(m_items))
        discard(item);
    for (const QList<Item> &items : std::as_const(m_parked)) {
        for (const Item &item : items)
            discard(item);
    }
    m_items.clear();
    m_parked.clear();
    endResetModel();
    emit countChanged();
    setRefusal(QString());
    notifyPreparing();
}

void ComposeAttachmentModel::setRefusal(const QString &refusal)
{
    if (refusal == m_refusal)
        return;
    m_refusal = refusal;
    emit refusalChanged();
}

void ComposeAttachmentModel::notifyPreparing()
{
    const bool now = preparing();
    if (now != m_lastPreparing) {
        m_lastPreparing = now;
        emit preparingChanged();
    }
}

QStringList ComposeAttachmentModel::ownedFiles() const
{
    QStringList files;
    auto collect = [&files](const QList<Item> &items) {
        for (const Item &item : items) {
            if (item.attachment.ownsSource)
                files.append(item.attachment.sourcePath);
        }
    };
    collect(m_items);
    for (const QList<Item> &parked : m_parked)
        collect(parked);
    return files;
}

int ComposeAttachmentModel::sweepPrivateDir(const QString &dir, const QStringList &kept, const QDateTime &before)
{
    QSet<QString> keep;
    for (const QString &path : kept)
        keep.insert(QFileInfo(path).absoluteFilePath());
    int removed = 0;
    for (const QFileInfo &file : QDir(dir).entryInfoList(QDir::Files | QDir::Hidden)) {
        if (!keep.contains(file.absoluteFilePath()) && file.lastModified() < before
            && QFile::remove(file.absoluteFilePath()))
            ++removed;
    }
    return removed;
}

} // namespace larch
