// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A small practice the storage conformance tests start from: an admin, a clinician, a patient and their conversation.
#pragma once

#include "server/storage/Storage.h"

namespace larch::server::conformance {

/// One practice as stored by makeScene.
struct Scene {
    PracticeRecord practice;
    User admin, clinician, patient;
    ConversationRecord conversation; ///< the patient's secure conversation
    QStringList recipients; ///< patient, admin, clinician
};

/// A user record with a placeholder password hash.
UserRecord userRecord(const QString &practiceId, const QString &email, const QString &role);
/// Stores a practice (tag names it and its emails, so several fit in one store); fails the test when refused.
Scene makeScene(Storage &storage, const QString &tag = QStringLiteral("a"));
/// A plain message from one of the scene's users.
NewMessage message(const Scene &scene, const User &from, const QString &body, const QString &clientId = {});
/// A pending SMS invitation of the scene's practice to phone, stored with its placeholder and conversation.
InvitationWriteResult invite(Storage &storage, const Scene &scene, const QString &phone, qint64 at = 10);
/// A session token digest stored for userId, valid far into the future.
QByteArray signIn(Storage &storage, const QString &userId);

} // namespace larch::server::conformance
