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

qsizetype StaffDirectory::rowOf(const QString &userId) const
{
    for (qsizetype i = 0; i < m_members.size(); ++i) {
        if (m_members[i].id == userId)
            return i;
    }
    return -1;
}

QString StaffDirectory::nameOf(const QString &userId) const
{
    const qsizetype i = rowOf(userId);
    return i < 0 ? QString() : m_members[i].name;
}

QString StaffDirectory::roleName(bool admin) { return admin ? QStringLiteral("admin") : QStringLiteral("clinician"); }

void StaffDirectory::put(const Member &member)
{
    const qsizetype i = rowOf(member.id);
    if (i >= 0) {
        m_members[i] = member;
        emit dataChanged(index(int(i)), index(int(i)));
        return;
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

void StaffDirectory::request(const Call &call, const std::function<void(const ApiResult &)> &answered)
{
    const QString practiceId = m_practiceId();
    if (practiceId.isEmpty())
        return;
    begin();
    call(practiceId, [this, answered, generation = m_generation](const ApiResult &r) {
        if (generation != m_generation)
            return; // an answer for the session before a sign-out
        if (!r.ok())
            return finish(r.error.sentence, {});
        answered(r);
    });
}

void StaffDirectory::load()
{
    request([this](const QString &practiceId, ApiClient::Callback done) { m_api->fetchStaff(practiceId, this, done); },
            [this](const ApiResult &r) {
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
    const QString trimmedName = name.trimmed();
    const QString address = email.trimmed().toLower();
    if (m_practiceId().isEmpty())
        return;
    if (trimmedName.isEmpty())
        return finish(QStringLiteral("Enter the person's name."), {});
    if (!isValidEmail(address))
        return finish(QStringLiteral("Enter an email address like name@example.org; the link to choose a password "
                                     "goes there."),
                      {});
    request(
        [=, this](const QString &practiceId, ApiClient::Callback done) {
            m_api->addStaff(practiceId, trimmedName, address, roleName(admin), this, done);
        },
        [this, address](const ApiResult &r) {
            put(memberOf(r.body));
            finish({}, tr("We emailed %1 a link to choose a password. It works once, for 3 days.").arg(address));
            emit added();
        });
}

void StaffDirectory::setAdmin(const QString &userId, bool admin)
{
    request(
        [=, this](const QString &practiceId, ApiClient::Callback done) {
            m_api->changeStaffRole(practiceId, userId, roleName(admin), this, done);
        },
        [this](const ApiResult &r) {
            const Member m = memberOf(r.body);
            put(m);
            finish({},
                   m.admin ? tr("%1 is now an administrator.").arg(m.name) : tr("%1 is now a clinician.").arg(m.name));
        });
}

void StaffDirectory::resendLink(const QString &userId)
{
    request([=, this](const QString &practiceId,
                      ApiClient::Callback done) { m_api->resendStaffSetupLink(practiceId, userId, this, done); },
            [this](const ApiResult &r) {
                const Member m = memberOf(r.body);
                put(m);
                finish({}, tr("We emailed %1 a new link; the earlier one no longer works.").arg(m.email));
            });
}

void StaffDirectory::resetTwoFactor(const QString &userId)
{
    request([=, this](const QString &practiceId,
                      ApiClient::Callback done) { m_api->resetStaffTwoFactor(practiceId, userId, this, done); },
            [this, userId](const ApiResult &) {
                const qsizetype i = rowOf(userId);
                if (i >= 0) {
                    m_members[i].twoFactor = false;
                    emit dataChanged(index(int(i)), index(int(i)), {TwoFactorRole});
                }
                finish({},
                       tr("Two-factor sign-in is off for %1. They sign in with their password and set it up again.")
                           .arg(nameOf(userId)));
            });
}

void StaffDirectory::deactivate(const QString &userId)
{
    request([=, this](const QString &practiceId,
                      ApiClient::Callback done) { m_api->deactivateStaff(practiceId, userId, this, done); },
            [this, userId](const ApiResult &) {
                const QString name = nameOf(userId);
                const qsizetype i = rowOf(userId);
                if (i >= 0) {
                    beginRemoveRows({}, int(i), int(i));
                    m_members.removeAt(i);
                    endRemoveRows();
                }
                finish({},
                       tr("%1 can no longer sign in; their sessions ended and their devices were removed.").arg(name));
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
