// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/staff/StaffDirectory.h"

#include "client/net/ApiClient.h"
#include "core/protocol/Validation.h"

#include <QJsonArray>

namespace larch {

StaffDirectory::StaffDirectory(ApiClient *api, std::function<QString()> practiceId, std::function<QString()> userId,
                               QObject *parent)
    : QAbstractListModel(parent), m_api(api), m_practiceId(std::move(practiceId)), m_userId(std::move(userId))
{ }

int StaffDirectory::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_members.size()); }

QVariant StaffDirectory::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_members.size())
        return {};
    const Member &m = m_members.at(index.row());
    switch (role) {
    case UserIdRole: return m.id;
    case NameRole: return m.name;
    case EmailRole: return m.email;
    case AdminRole: return m.admin;
    case TwoFactorRole: return m.twoFactor;
    case PasswordSetRole: return m.passwordSet;
    case IsYouRole: return m.id == m_userId();
    default: return {};
    }
}

QHash<int, QByteArray> StaffDirectory::roleNames() const
{
    return {{UserIdRole, "userId"}, {NameRole, "name"},           {EmailRole, "email"},
            {AdminRole, "admin"},   {TwoFactorRole, "twoFactor"}, {PasswordSetRole, "passwordSet"},
            {IsYouRole, "isYou"}};
}

StaffDirectory::Member StaffDirectory::memberOf(const QJsonObject &o)
{
    return Member{o.value(QLatin1String("id")).toString(),
                  o.value(QLatin1String("name")).toString(),
                  o.value(QLatin1String("email")).toString(),
                  o.value(QLatin1String("role")).toString() == QLatin1String("admin"),
                  o.value(QLatin1String("twoFactor")).toBool(),
                  o.value(QLatin1String("passwordSet")).toBool(true)};
}

QString StaffDirectory::nameOf(const QString &userId) const
{
    for (const Member &m : m_members) {
        if (m.id == userId)
            return m.name;
    }
    return {};
}

void StaffDirectory::put(const Member &member)
{
    for (qsizetype i = 0; i < m_members.size(); ++i) {
        if (m_members[i].id == member.id) {
            m_members[i] = member;
            emit dataChanged(index(int(i)), index(int(i)));
            return;
        }
    }
    beginInsertRows({}, int(m_members.size()), int(m_members.size()));
    m_members.append(member);
    endInsertRows();
}

void StaffDirectory::begin()
{
    m_busy = true;
    m_error.clear();
    m_notice.clear();
    emit stateChanged();
}

void StaffDirectory::finish(const QString &error, const QString &notice)
{
    m_busy = false;
    m_error = error;
    m_notice = notice;
    emit stateChanged();
}

void StaffDirectory::load()
{
    const QString practiceId = m_practiceId();
    if (practiceId.isEmpty())
        return;
    begin();
    m_api->fetchStaff(practiceId, this, [this, generation = m_generation](const ApiResult &r) {
        if (generation != m_generation)
            return;
        if (!r.ok())
            return finish(r.error.sentence, {});
        QList<Member> members;
        for (const QJsonValue &v : r.body.value(QLatin1String("staff")).toArray()) {
            const Member m = memberOf(v.toObject());
            if (isValidId(m.id))
                members.append(m);
        }
        beginResetModel();
        m_members = members;
        endResetModel();
        m_loaded = true;
        finish({}, {});
    });
}

void StaffDirectory::add(const QString &name, const QString &email, bool admin)
{
    const QString practiceId = m_practiceId();
    const QString trimmedName = name.trimmed();
    const QString address = email.trimmed().toLower();
    if (practiceId.isEmpty())
        return;
    if (trimmedName.isEmpty())
        return finish(QStringLiteral("Enter the person's name."), {});
    if (!isValidEmail(address))
        return finish(QStringLiteral("Enter an email address like name@example.org; the link to choose a password "
                                     "goes there."),
                      {});
    begin();
    m_api->addStaff(
        practiceId, trimmedName, address, admin ? QStringLiteral("admin") : QStringLiteral("clinician"), this,
        [this, address, generation = m_generation](const ApiResult &r) {
            if (generation != m_generation)
                return;
            if (!r.ok())
                return finish(r.error.sentence, {});
            put(memberOf(r.body));
            finish({}, tr("We emailed %1 a link to choose a password. It works once, for 3 days.").arg(address));
            emit added();
        });
}

void StaffDirectory::setAdmin(const QString &userId, bool admin)
{
    const QString practiceId = m_practiceId();
    if (practiceId.isEmpty())
        return;
    begin();
    m_api->changeStaffRole(practiceId, userId, admin ? QStringLiteral("admin") : QStringLiteral("clinician"), this,
                           [this, generation = m_generation](const ApiResult &r) {
                               if (generation != m_generation)
                                   return;
                               if (!r.ok())
                                   return finish(r.error.sentence, {});
                               const Member m = memberOf(r.body);
                               put(m);
                               finish({},
                                      m.admin ? tr("%1 is now an administrator.").arg(m.name)
                                              : tr("%1 is now a clinician.").arg(m.name));
                           });
}

void StaffDirectory::resendLink(const QString &userId)
{
    const QString practiceId = m_practiceId();
    if (practiceId.isEmpty())
        return;
    begin();
    m_api->resendStaffSetupLink(practiceId, userId, this, [this, generation = m_generation](const ApiResult &r) {
        if (generation != m_generation)
            return;
        if (!r.ok())
            return finish(r.error.sentence, {});
        const Member m = memberOf(r.body);
        put(m);
        finish({}, tr("We emailed %1 a new link; the earlier one no longer works.").arg(m.email));
    });
}

void StaffDirectory::resetTwoFactor(const QString &userId)
{
    const QString practiceId = m_practiceId();
    if (practiceId.isEmpty())
        return;
    begin();
    m_api->resetStaffTwoFactor(practiceId, userId, this, [this, userId, generation = m_generation](const ApiResult &r) {
        if (generation != m_generation)
            return;
        if (!r.ok())
            return finish(r.error.sentence, {});
        for (qsizetype i = 0; i < m_members.size(); ++i) {
            if (m_members[i].id == userId) {
                m_members[i].twoFactor = false;
                emit dataChanged(index(int(i)), index(int(i)), {TwoFactorRole});
            }
        }
        finish({},
               tr("Two-factor sign-in is off for %1. They sign in with their password and set it up again.")
                   .arg(nameOf(userId)));
    });
}

void StaffDirectory::deactivate(const QString &userId)
{
    const QString practiceId = m_practiceId();
    if (practiceId.isEmpty())
        return;
    begin();
    m_api->deactivateStaff(practiceId, userId, this, [this, userId, generation = m_generation](const ApiResult &r) {
        if (generation != m_generation)
            return;
        if (!r.ok())
            return finish(r.error.sentence, {});
        const QString name = nameOf(userId);
        for (qsizetype i = 0; i < m_members.size(); ++i) {
            if (m_members[i].id == userId) {
                beginRemoveRows({}, int(i), int(i));
                m_members.removeAt(i);
                endRemoveRows();
                break;
            }
        }
        finish({}, tr("%1 can no longer sign in; their sessions ended and their devices were removed.").arg(name));
    });
}

void StaffDirectory::dismissNotice()
{
    if (m_notice.isEmpty() && m_error.isEmpty())
        return;
    m_notice.clear();
    m_error.clear();
    emit stateChanged();
}

void StaffDirectory::reset()
{
    ++m_generation;
    beginResetModel();
    m_members.clear();
    endResetModel();
    m_loaded = false;
    finish({}, {});
}

} // namespace larch
