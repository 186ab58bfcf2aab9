// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/practicelinks/PracticeLinkService.h"

#include "core/crypto/Crypto.h"
#include "core/protocol/TextLength.h"
#include "core/protocol/Validation.h"
#include "server/api/RequestError.h"
#include "server/transport/Clock.h"
#include "server/transport/Log.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace larch::server {
namespace {

QString checkedLabel(const QString &text)
{
    const QString label = text.trimmed();
    static const QRegularExpression control(QStringLiteral("\\p{Cc}"));
    if (label.isEmpty() || textLength(label) > PracticeLinkService::LabelMax || control.match(label).hasMatch())
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("label must be 1 to %1 characters on one line, such as \"Front desk flyer\".")
                               .arg(PracticeLinkService::LabelMax));
    return label;
}

/// "" stays "" (no tag).
QString checkedTag(const QString &text)
{
    const QString tag = text.trimmed();
    static const QRegularExpression allowed(QStringLiteral("^[\\p{L}\\p{N} _-]*$"));
    if (textLength(tag) > PracticeLinkService::TagMax || !allowed.match(tag).hasMatch())
        throw RequestError(400, QStringLiteral("invalid_field"),
                           QStringLiteral("tag may hold letters, digits, spaces, - and _ only, at most %1 characters, "
                                          "such as \"new-patient\".")
                               .arg(PracticeLinkService::TagMax));
    return tag;
}

} // namespace

PracticeLinkService::PracticeLinkService(Storage &storage, EventHub &hub, PracticeLinkSettings settings)
    : m_storage(storage), m_hub(hub), m_settings(std::move(settings)),
      m_lookups(m_settings.lookupsPerAddressPerHour, 3600 * 1000)
{ }

bool PracticeLinkService::plausibleCode(const QString &code)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{10}$"));
    return re.match(code).hasMatch();
}

PracticeLink PracticeLinkService::toWire(const PracticeLinkRecord &r, const QString &publicUrl)
{
    PracticeLink l;
    l.id = r.id;
    l.practiceId = r.practiceId;
    l.code = r.code;
    l.label = r.label;
    l.tag = r.tag;
    l.enabled = r.enabled;
    l.url = publicUrl + QStringLiteral("/p/") + r.code;
    l.createdAt = r.createdAt;
    l.conversationCount = r.conversationCount;
    return l;
}

QList<NewEvent> PracticeLinkService::updatedEvents(const QList<User> &staff, const PracticeLink &link)
{
    const QByteArray data = QJsonDocument(link.toJson()).toJson(QJsonDocument::Compact);
    QList<NewEvent> out;
    for (const User &s : staff)
        out.append(NewEvent{s.id, QString::fromLatin1(EventType::PracticeLinkUpdated), data});
    return out;
}

QString PracticeLinkService::publicUrl() const { return m_settings.publicUrl ? m_settings.publicUrl() : QString(); }

void PracticeLinkService::requireStaffOf(const User &caller, const QString &practiceId, bool adminOnly)
{
    if (!caller.isStaff() || caller.practiceId != practiceId)
        throw RequestError::notFound();
    if (adminOnly && !caller.isAdmin())
        throw RequestError(
            403, QStringLiteral("forbidden"),
            QStringLiteral("Only an administrator of the practice can add or change its Practice Links."));
}

QJsonObject PracticeLinkService::list(const User &caller, const QString &practiceId)
{
    requireStaffOf(caller, practiceId, false);
    const QString url = publicUrl();
    QJsonArray links;
    for (const PracticeLinkRecord &r : m_storage.practiceLinks().linksOfPractice(practiceId))
        links.append(toWire(r, url).toJson());
    return {{"links", links}};
}

PracticeLink PracticeLinkService::create(const User &caller, const QString &practiceId, const QString &label,
                                         const QString &tag)
{
    requireStaffOf(caller, practiceId, true);
    PracticeLinkRecord r;
    r.id = newId();
    r.practiceId = practiceId;
    r.label = checkedLabel(label);
    r.tag = checkedTag(tag);
    r.enabled = true;
    r.createdAt = r.updatedAt = nowMs();
    const QList<User> staff = m_storage.accounts().staff(practiceId);
    const QString url = publicUrl();
    const PracticeLinkWriteResult result = m_hub.commit([&] {
        return m_storage.practiceLinks().createPracticeLink(
            r, MaxLinks, [&](const PracticeLinkRecord &stored) { return updatedEvents(staff, toWire(stored, url)); });
    });
    if (result.status == PracticeLinkWriteResult::Status::TooMany)
        throw RequestError(409, QStringLiteral("conflict"),
                           QStringLiteral("This practice has %1 Practice Links, the most it may have. Change the label "
                                          "and tag of one you no longer use instead.")
                               .arg(MaxLinks));
    log::info("practice link created");
    m_audit.record(AuditLog::of(caller), QStringLiteral("practice_link_created"), {result.link.id});
    return toWire(result.link, url);
}

PracticeLink PracticeLinkService::update(const User &caller, const QString &practiceId, const QString &linkId,
                                         const std::optional<QString> &label, const std::optional<QString> &tag,
                                         std::optional<bool> enabled)
{
    requireStaffOf(caller, practiceId, true);
    const auto current = isValidId(linkId) ? m_storage.practiceLinks().practiceLink(linkId) : std::nullopt;
    if (!current || current->practiceId != practiceId)
        throw RequestError::notFound();
    PracticeLinkRecord changed = *current;
    if (label)
        changed.label = checkedLabel(*label);
    if (tag)
        changed.tag = checkedTag(*tag);
    if (enabled)
        changed.enabled = *enabled;
    const QString url = publicUrl();
    if (changed.label == current->label && changed.tag == current->tag && changed.enabled == current->enabled)
        return toWire(*current, url); // nothing changed: nothing to tell anyone
    changed.updatedAt = nowMs();
    const QList<User> staff = m_storage.accounts().staff(practiceId);
    const PracticeLinkWriteResult result = m_hub.commit([&] {
        return m_storage.practiceLinks().updatePracticeLink(
            changed, [&](const PracticeLinkRecord &stored) { return updatedEvents(staff, toWire(stored, url)); });
    });
    if (result.status != PracticeLinkWriteResult::Status::Done)
        throw RequestError::notFound();
    const bool switched = enabled && *enabled != current->enabled;
    log::info(switched ? (*enabled ? "practice link turned on" : "practice link turned off") : "practice link changed");
    m_audit.record(AuditLog::of(caller), QStringLiteral("practice_link_changed"), {result.link.id});
    return toWire(result.link, url);
}

QJsonObject PracticeLinkService::lookup(const QString &code, const QString &remoteAddress)
{
    if (!m_lookups.take(remoteAddress, nowMs()))
        throw RequestError(429, QStringLiteral("rate_limited"),
                           QStringLiteral("Too many Practice Link look-ups from this address; wait an hour and try "
                                          "again."));
    const auto link = plausibleCode(code) ? m_storage.practiceLinks().practiceLinkByCode(code) : std::nullopt;
    const auto practice = link ? m_storage.accounts().practice(link->practiceId) : std::nullopt;
    if (!practice)
        throw RequestError(
            404, QStringLiteral("not_found"),
            QStringLiteral("This Practice Link does not exist; check the link or ask the practice for it."));
    // The identity's public key lets an app that was handed the link's fingerprint (fp=) refuse a mismatch before
    // sign-up; the app pins what it checks again after joining.
    const QList<PracticeIdentityRecord> identity = m_storage.devices().practiceIdentity(practice->id);
    return {{"practiceName", practice->name},
            {"enabled", link->enabled},
            {"identityKey", identity.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(identity.last().publicKey)}};
}

PracticeLinkRecord usablePracticeLink(Storage &storage, const QString &code)
{
    const auto link =
        PracticeLinkService::plausibleCode(code) ? storage.practiceLinks().practiceLinkByCode(code) : std::nullopt;
    if (!link)
        throw RequestError(
            404, QStringLiteral("not_found"),
            QStringLiteral("This Practice Link does not exist; check the link or ask the practice for it."));
    if (!link->enabled)
        throw RequestError(410, QStringLiteral("link_disabled"),
                           QStringLiteral("This Practice Link is turned off. Ask the practice for a new link."));
    return *link;
}

} // namespace larch::server
