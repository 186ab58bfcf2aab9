// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/security/SecurityPolicy.h"

#include "client/net/ApiClient.h"

namespace larch {

SecurityPolicy::SecurityPolicy(ApiClient *api, std::function<QString()> practiceId, QObject *parent)
    : QObject(parent), m_api(api), m_practiceId(std::move(practiceId))
{ }

void SecurityPolicy::apply(const QJsonObject &settings)
{
    m_twoFactorRequired = settings.value(QLatin1String("twoFactorRequired")).toBool();
    m_idleLockMinutes = qBound(1, settings.value(QLatin1String("idleLockMinutes")).toInt(15), 60);
    m_loaded = true;
    m_busy = false;
    m_error.clear();
    emit changed();
    emit idleLockMinutesRead(m_idleLockMinutes);
}

void SecurityPolicy::fail(const QString &sentence)
{
    m_busy = false;
    m_error = sentence;
    emit changed();
}

void SecurityPolicy::refresh()
{
    const QString practiceId = m_practiceId();
    if (practiceId.isEmpty())
        return;
    m_busy = true;
    emit changed();
    m_api->fetchPracticeSettings(practiceId, this, [this](const ApiResult &r) {
        if (!r.ok())
            return fail(r.error.sentence);
        apply(r.body);
    });
}

void SecurityPolicy::save(bool twoFactorRequired, int idleLockMinutes)
{
    const QString practiceId = m_practiceId();
    if (practiceId.isEmpty())
        return;
    if (idleLockMinutes < 1 || idleLockMinutes > 60)
        return fail(QStringLiteral("Choose from 1 to 60 minutes for the lock."));
    m_busy = true;
    m_error.clear();
    emit changed();
    const QJsonObject changes{{"twoFactorRequired", twoFactorRequired}, {"idleLockMinutes", idleLockMinutes}};
    m_api->updatePracticeSettings(practiceId, changes, this, [this](const ApiResult &r) {
        if (!r.ok())
            return fail(r.error.sentence);
        apply(r.body);
        emit saved();
    });
}

void SecurityPolicy::reset()
{
    m_twoFactorRequired = false;
    m_idleLockMinutes = 15;
    m_loaded = false;
    m_busy = false;
    m_error.clear();
    emit changed();
}

} // namespace larch
