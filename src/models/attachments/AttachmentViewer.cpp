// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/attachments/AttachmentViewer.h"

#include "client/attachments/AttachmentDownload.h"
#include "client/attachments/AttachmentTempFiles.h"
#include "client/store/LocalStore.h"
#include "client/sync/Outbox.h"
#include "core/attachments/AttachmentType.h"
#include "models/app/SaveLocation.h"
#include "models/attachments/AttachmentImages.h"
#include "models/attachments/AttachmentText.h"
#include "models/thread/ThreadModel.h"

#include <QDir>
#include <QStandardPaths>

#include <algorithm>
#include <cmath>
#include <utility>

namespace larch {

namespace {
/// A stored, verified message's files; nullopt when the message is not here or did not verify.
std::optional<QList<AttachmentRef>> filesOf(const LocalStore *store, const QString &messageId)
{
    const auto stored = store->messages().messageById(messageId);
    if (!stored || stored->verification != Verification::Verified)
        return std::nullopt;
    return stored->attachments;
}
} // namespace

AttachmentViewer::AttachmentViewer(LocalStore *store, ApiClient *api, ThreadModel *thread,
                                   std::shared_ptr<AttachmentImages> images, AttachmentTempFiles *files,
                                   QObject *parent)
    : QObject(parent), m_store(store), m_api(api), m_thread(thread), m_images(std::move(images)), m_files(files)
{
    connect(&m_copies, &AttachmentCopyWriter::finished, this, &AttachmentViewer::finishCopy);
}

AttachmentViewer::~AttachmentViewer()
{
    // The app is closing: no decrypted copy outlives it (AttachmentTempFiles sweeps too, this is sooner).
    if (m_download)
        m_download->cancel();
    m_copies.wait(); // a copy being written from the temporary file finishes first
    if (m_files && !m_path.isEmpty())
        m_files->release(m_path);
    if (m_files && m_copySourceReleased)
        m_files->release(m_copySource);
}

void AttachmentViewer::setOutbox(Outbox *outbox) { m_outbox = outbox; }

QString AttachmentViewer::notHereText()
{
    return tr("This file is not on this device any more. Close this conversation and open it again.");
}

QString AttachmentViewer::noSuchFileText() { return tr("This message has no such file."); }

QString AttachmentViewer::openFirstText() { return tr("Open the file first, then save a copy."); }

AttachmentState::Value AttachmentViewer::stateValue() const
{
    switch (m_state) {
    case State::None: return AttachmentState::None;
    case State::Downloading: return AttachmentState::Downloading;
    case State::Ready: return AttachmentState::Ready;
    case State::Failed: return AttachmentState::Failed;
    }
    return AttachmentState::None;
}

void AttachmentViewer::open(const QString &messageId, int index)
{
    if (messageId == m_messageId && index == m_index && (m_state == State::Downloading || m_state == State::Ready))
        return;
    // The previous file goes without passing through "nothing open": a viewer trying again stays open.
    const QString previous = m_messageId;
    const int previousIndex = m_index;
    letGo();
    if (m_thread && !previous.isEmpty() && (previous != messageId || previousIndex != index))
        m_thread->setDownload(previous, previousIndex, ThreadModel::Download::None);
    setSaveMessage({}, false);
    const auto files = filesOf(m_store, messageId);
    const bool inRange = files && index >= 0 && index < files->size();
    m_messageId = messageId;
    m_index = index;
    if (!inRange) {
        m_kind = AttachmentKind::None;
        m_name = m_mime = m_sizeText = m_thumbnail = QString();
        emit openedChanged();
        // A message that is here, with fewer files than the index says, would answer the same way every time.
        setState(State::Failed, files && !files->isEmpty() ? noSuchFileText() : notHereText());
        return;
    }
    const AttachmentRef *ref = &files->at(index);
    m_kind = AttachmentKind::fromName(ref->kind);
    m_name = ref->name;
    m_mime = ref->mime;
    m_sizeText = AttachmentText::sizeText(ref->size);
    m_thumbnail.clear();
    if (m_images && !ref->thumbnail.isEmpty()) {
        const QString key = AttachmentImages::messageKey(messageId, index);
        m_images->setThumbnail(key, ref->thumbnail);
        m_thumbnail = AttachmentImages::thumbnailUrl(key);
    }
    emit openedChanged();

    m_download = new AttachmentDownload(m_api, *ref, this);
    connect(m_download, &AttachmentDownload::progress, this,
            [this](qint64 done, qint64 total) { setProgress(total > 0 ? double(done) / double(total) : 0); });
    connect(m_download, &AttachmentDownload::finished, this, &AttachmentViewer::finishDownload);
    connect(m_download, &AttachmentDownload::failed, this, [this](const QString &sentence) {
        dropDownload();
        setState(State::Failed, sentence);
    });
    setProgress(0);
    setState(State::Downloading);
    // A photo is shown from memory, unless it is large; a video player and PDFium want a file, kept private and
    // removed on release.
    m_inMemory = m_kind == AttachmentKind::Image && (ref->size <= InMemoryMaxBytes || !m_files);
    if (m_inMemory)
        m_download->startToMemory();
    else if (m_files)
        m_download->startToFile(m_files);
    else {
        dropDownload();
        setState(State::Failed, AttachmentDownload::unavailableText());
    }
}

void AttachmentViewer::finishDownload()
{
    if (!m_download)
        return;
    if (m_inMemory) {
        if (m_images)
            m_images->setFull(m_messageId, m_index, m_download->data());
        m_source = QUrl(AttachmentImages::fullUrl(m_messageId, m_index));
    } else {
        m_path = m_download->filePath();
        m_source = QUrl::fromLocalFile(m_path);
    }
    dropDownload();
    setProgress(1);
    setState(State::Ready);
}

void AttachmentViewer::dropDownload()
{
    if (!m_download)
        return;
    m_download->disconnect(this);
    m_download->deleteLater();
    m_download = nullptr;
}

void AttachmentViewer::cancel()
{
    if (m_state != State::Downloading)
        return;
    if (m_download)
        m_download->cancel(); // a partly written file is removed
    dropDownload();
    release();
}

void AttachmentViewer::letGo()
{
    if (m_download) {
        m_download->cancel();
        dropDownload();
    }
    if (m_images && !m_messageId.isEmpty())
        m_images->removeFull(m_messageId, m_index);
    if (!m_path.isEmpty())
        releaseFile(m_path);
    m_path.clear();
    m_source.clear();
    m_progress = 0;
}

void AttachmentViewer::release()
{
    letGo();
    const QString was = m_messageId;
    setState(State::None); // the card goes back to "available" (or "sent")
    m_messageId.clear();
    m_index = -1;
    m_kind = AttachmentKind::None;
    m_name = m_mime = m_sizeText = m_thumbnail = QString();
    if (!was.isEmpty())
        emit openedChanged();
}

bool AttachmentViewer::canRetry() const
{
    return m_state == State::Failed && m_error != AttachmentDownload::damagedText()
        && m_error != AttachmentDownload::unavailableText() && m_error != notHereText() && m_error != noSuchFileText();
}

void AttachmentViewer::setState(State state, const QString &error)
{
    if (m_state == state && m_error == error)
        return;
    m_state = state;
    m_error = error;
    if (m_thread && !m_messageId.isEmpty()) {
        switch (state) {
        case State::None: m_thread->setDownload(m_messageId, m_index, ThreadModel::Download::None); break;
        case State::Downloading:
            m_thread->setDownload(m_messageId, m_index, ThreadModel::Download::Downloading, m_progress);
            break;
        case State::Ready: m_thread->setDownload(m_messageId, m_index, ThreadModel::Download::Ready, 1); break;
        case State::Failed: m_thread->setDownload(m_messageId, m_index, ThreadModel::Download::Failed, 0, error); break;
        }
    }
    emit stateChanged();
}

void AttachmentViewer::setProgress(double progress)
{
    // A 100 MB file reports every few kilobytes: the ring moves in whole percents, which is all an eye sees.
    const double rounded = std::floor(std::clamp(progress, 0.0, 1.0) * 100) / 100;
    if (rounded == m_progress)
        return;
    m_progress = rounded;
    if (m_thread && m_state == State::Downloading)
        m_thread->setDownload(m_messageId, m_index, ThreadModel::Download::Downloading, m_progress);
    emit progressChanged();
}

void AttachmentViewer::setSaveMessage(const QString &message, bool failed)
{
    if (m_saveMessage == message && m_saveFailed == failed)
        return;
    m_saveMessage = message;
    m_saveFailed = failed;
    emit saveMessageChanged();
}

void AttachmentViewer::saveCopy(const QString &messageId, int index, const QUrl &destination)
{
    if (m_copies.isBusy()) {
        setSaveMessage(tr("A copy is still being saved. Wait for it to finish, then save another."), true);
        return;
    }
    if (messageId != m_messageId || index != m_index || m_state != State::Ready) {
        setSaveMessage(openFirstText(), true);
        return;
    }
    // content:// URLs (Android's document picker) are opened by QFile as they are.
    const QString path = destination.isLocalFile() ? destination.toLocalFile() : destination.toString();
    if (path.isEmpty()) {
        setSaveMessage(tr("Choose where to save the copy."), true);
        return;
    }
    const QByteArray bytes = m_inMemory && m_images ? m_images->full(m_messageId, m_index) : QByteArray();
    if (m_inMemory ? bytes.isEmpty() : m_path.isEmpty()) {
        setSaveMessage(openFirstText(), true);
        return;
    }
    m_copySource = m_inMemory ? QString() : m_path;
    m_copySourceReleased = false;
    m_copies.start(path, bytes, m_copySource);
    setSaveMessage(tr("Saving a copy to %1…").arg(QDir::toNativeSeparators(path)), false);
    emit savingChanged();
}

void AttachmentViewer::finishCopy(const QString &path, const QString &error)
{
    const QString source = std::exchange(m_copySource, QString());
    if (std::exchange(m_copySourceReleased, false) && m_files)
        m_files->release(source); // the viewer let it go while the copy was being written
    emit savingChanged();
    if (!error.isEmpty()) {
        setSaveMessage(error, true);
        return;
    }
    setSaveMessage(tr("Saved a copy to %1.").arg(QDir::toNativeSeparators(path)), false);
    emit saved(path);
}

void AttachmentViewer::releaseFile(const QString &path)
{
    if (m_copies.isBusy() && path == m_copySource)
        m_copySourceReleased = true;
    else if (m_files)
        m_files->release(path);
}

void AttachmentViewer::cancelUpload(const QString &clientId)
{
    // The echo goes when the outbox says it dropped the entry (Outbox::cancelled → ThreadModel::removePending).
    if (m_outbox)
        m_outbox->cancel(clientId);
}

QUrl AttachmentViewer::suggestedSaveUrl(const QString &messageId, int index) const
{
    const auto files = filesOf(m_store, messageId);
    const std::optional<AttachmentRef> ref =
        files && index >= 0 && index < files->size() ? std::optional(files->at(index)) : std::nullopt;
    QString name = ref ? sanitizeAttachmentName(ref->name, AttachmentType{ref->mime, ref->kind}) : m_name;
    if (name.isEmpty())
        name = QStringLiteral("attachment");
    return larch::suggestedSaveUrl({QStandardPaths::DownloadLocation, QStandardPaths::DocumentsLocation}, name);
}

} // namespace larch
