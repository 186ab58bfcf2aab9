// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// DemoAccount: one message carrying several files, uploaded and sealed by the account's own device.
#include "DemoAccount.h"

#include "client/attachments/AttachmentUpload.h"
#include "client/e2ee/SecureSync.h"
#include "client/sync/SyncEngine.h"
#include "core/crypto/Crypto.h"
#include "models/compose/ComposeAttachmentModel.h"
#include "models/compose/ComposeController.h"
#include "models/conversations/CurrentConversation.h"

#include <optional>

namespace {
// Uploading a few small files and posting on loopback; generous for a busy machine.
constexpr int kUploadMs = 90000;
constexpr int kStepMs = 60000;
} // namespace

void DemoAccount::sendFilesInOneMessage(const QString &conversationId, const QString &caption, const QList<QUrl> &files)
{
    if (files.isEmpty() || files.size() > larch::MessageContent::AttachmentsMax)
        throw SeedError(QStringLiteral("a message carries one to %1 files, not %2")
                            .arg(larch::MessageContent::AttachmentsMax)
                            .arg(files.size())
                            .toStdString());
    addFilesAndWaitForPreviews(conversationId, files);
    larch::ComposeAttachmentModel *chips = m_app->compose()->attachments();
    const QList<larch::PendingAttachment> pending = chips->attachments();
    chips->takeFirst(int(pending.size()));

    // Each file as the outbox uploads it: read, stripped, encrypted and sent in pieces, resumable.
    const QString clientId = larch::newId();
    QList<larch::AttachmentRef> refs;
    for (const larch::PendingAttachment &file : pending) {
        const QString uploadId = larch::newId();
        larch::AttachmentUpload upload(m_app->store(), m_app->api(), uploadId, conversationId, file);
        std::optional<larch::AttachmentRef> ref;
        QString failure;
        QObject::connect(&upload, &larch::AttachmentUpload::finished,
                         [&](const larch::AttachmentRef &done) { ref = done; });
        QObject::connect(&upload, &larch::AttachmentUpload::failed, [&](const QString &why) { failure = why; });
        upload.start();
        if (!waitUntil([&] { return ref.has_value() || !failure.isEmpty(); }, kUploadMs))
            throw SeedError(QStringLiteral("a file from %1 was not uploaded in time").arg(m_who).toStdString());
        m_app->store()->outbox().removeUpload(uploadId);
        if (!ref)
            throw SeedError(QStringLiteral("a file from %1 was refused: %2").arg(m_who, failure).toStdString());
        refs.append(*ref);
    }

    // Sealed under the conversation's key and signed by this device, like any message it sends.
    std::optional<QJsonObject> envelope;
    QString failure;
    bool answered = false;
    m_app->sync()->secure()->sealContent(
        conversationId, clientId, larch::MessageContent{caption, refs},
        [&](const std::optional<QJsonObject> &sealed, const larch::EpochPlanner::Failure &why) {
            envelope = sealed;
            failure = why.sentence;
            answered = true;
        });
    if (!waitUntil([&] { return answered; }, kStepMs) || !envelope)
        throw SeedError(QStringLiteral("%1 could not seal the message: %2").arg(m_who, failure).toStdString());
    const larch::ApiResult sent = call([&](larch::ApiClient *api, QObject *context, auto done) {
        api->postEnvelope(conversationId, clientId, *envelope, context, std::move(done));
    });
    if (!sent.ok())
        throw SeedError(
            QStringLiteral("the server refused the message from %1: %2").arg(m_who, sent.error.sentence).toStdString());
    // Back through the event stream, opened on this device with every file.
    const bool opened = waitUntil(
        [&] {
            const auto stored = m_app->store()->messages().messageByClientId(clientId);
            return stored && stored->verification == larch::Verification::Verified
                && stored->attachments.size() == refs.size();
        },
        kStepMs);
    m_app->current()->close();
    if (!opened)
        throw SeedError(
            QStringLiteral("the message with %1's files did not come back opened in time").arg(m_who).toStdString());
}
