// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Practice Links: a practice's shareable sign-up links, as staff list and change them and as the public looks
// them up (docs/practice-links.md).
#pragma once

#include "core/protocol/ProtocolStandard.h"
#include "server/accounts/RateLimiter.h"
#include "server/audit/AuditLog.h"
#include "server/conversations/EventHub.h"
#include "server/storage/Storage.h"

#include <functional>
#include <optional>
#include <QJsonObject>

namespace larch::server {

/// Settings of Practice Links, from the server's flags.
struct PracticeLinkSettings {
    std::function<QString()> publicUrl; ///< links are <publicUrl>/p/<code>; read when a link is shown
    int lookupsPerAddressPerHour = 20 * 5;
};

/// Lists, creates and changes a practice's links for its staff (admins change, everyone on staff reads; others
/// get 404), tells staff of each change, and answers the public look-up by code.
class PracticeLinkService {
public:
    static constexpr int MaxLinks = 50;
    static constexpr int LabelMax = 60;
    static constexpr int TagMax = 30;

    PracticeLinkService(Storage &storage, EventHub &hub, PracticeLinkSettings settings);

    /// GET …/practice-links: {"links": [PracticeLink…]}, oldest first.
    QJsonObject list(const User &caller, const QString &practiceId);
    /// POST …/practice-links: 400 for a bad label or tag, 403 for clinicians, 409 at MaxLinks.
    PracticeLink create(const User &caller, const QString &practiceId, const QString &label, const QString &tag);
    /// PATCH …/practice-links/{id}: changes what is given; a tag of "" removes it.
    PracticeLink update(const User &caller, const QString &practiceId, const QString &linkId,
                        const std::optional<QString> &label, const std::optional<QString> &tag,
                        std::optional<bool> enabled);
    /// GET /v1/practice-links/{code}: {"practiceName","enabled"}; 404 unknown, 429 past the per-address limit.
    QJsonObject lookup(const QString &code, const QString &remoteAddress);

    /// The wire form of a stored link.
    static PracticeLink toWire(const PracticeLinkRecord &record, const QString &publicUrl);
    /// The practice_link.updated events for the practice's staff.
    static QList<NewEvent> updatedEvents(const QList<User> &staff, const PracticeLink &link);
    /// True for a string of the shape of a link's code (10 URL-safe characters).
    static bool plausibleCode(const QString &code);
    /// 404 unless caller is staff of the practice; 403 when adminOnly and caller is a clinician.
    void requireStaffOf(const User &caller, const QString &practiceId, bool adminOnly);

private:
    QString publicUrl() const;

    Storage &m_storage;
    AuditLog m_audit{m_storage};
    EventHub &m_hub;
    const PracticeLinkSettings m_settings;
    RateLimiter m_lookups;
};

/// The link a patient signs up through (POST /v1/codes and /verify): 404 for an unknown code, 410 link_disabled
/// for one the practice turned off.
PracticeLinkRecord usablePracticeLink(Storage &storage, const QString &code);

} // namespace larch::server
