// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/security/TwoFactorSetup.h"

#include "client/net/ApiClient.h"

#include <QJsonArray>

namespace larch {
namespace {

/// A code as the server checks it, or "" with the sentence to show in *why.
QString typedCode(const QString &code, QString *why)
{
    const QString trimmed = code.trimmed();
    if (trimmed.isEmpty())
        *why = QStringLiteral("Enter the 6-digit code your authenticator app shows.");
    return trimmed;
}

} // namespace

TwoFactorSetup::TwoFactorSetup(ApiClient *api, QObject *parent) : QObject(parent), m_api(api) { }

QString TwoFactorSetup::secretText() const
{
    QString out;
    for (qsizetype i = 0; i < m_secret.size(); i += 4)
        out += (i ? QStringLiteral(" ") : QString()) + m_secret.mid(i, 4);
    return out;
}

QStringList TwoFactorSetup::recoveryCodes() const
{
    QStringList out;
    for (const QString &c : m_codes)
        out.append(c.left(5) + u'-' + c.mid(5));
    return out;
}

QString TwoFactorSetup::recoveryCodesText() const
{
    return QStringLiteral("Larch recovery codes: each signs in once.\n") + recoveryCodes().join(u'\n') + u'\n';
}

void TwoFactorSetup::setBusy(bool busy)
{
    m_busy = busy;
    if (busy)
        m_error.clear();
    emit changed();
}

void TwoFactorSetup::fail(const QString &sentence)
{
    m_busy = false;
    m_error = sentence;
    emit changed();
}

void TwoFactorSetup::refresh()
{
    setBusy(true);
    m_api->fetchTwoFactor(this, [this](const ApiResult &r) {
        if (!r.ok())
            return fail(r.error.sentence);
        m_enabled = r.body.value(QLatin1String("enabled")).toBool();
        m_required = r.body.value(QLatin1String("required")).toBool();
        m_recoveryCodesLeft = r.body.value(QLatin1String("recoveryCodesLeft")).toInt();
        setBusy(false);
    });
}

void TwoFactorSetup::start()
{
    setBusy(true);
    m_api->beginTwoFactor(this, [this](const ApiResult &r) {
        if (!r.ok())
            return fail(r.error.sentence);
        m_secret = r.body.value(QLatin1String("secret")).toString();
        m_uri = r.body.value(QLatin1String("uri")).toString();
        if (m_secret.isEmpty() || !m_uri.startsWith(QLatin1String("otpauth://")))
            return fail(QStringLiteral("The server's answer had no key for the authenticator app; try again."));
        m_step = Scan;
        setBusy(false);
    });
}

void TwoFactorSetup::showCodes(const QJsonObject &body)
{
    m_codes.clear();
    for (const QJsonValue v : body.value(QLatin1String("recoveryCodes")).toArray())
        m_codes.append(v.toString());
    m_secret.clear();
    m_uri.clear();
    m_enabled = true;
    m_recoveryCodesLeft = int(m_codes.size());
    m_step = RecoveryCodes;
    setBusy(false);
}

void TwoFactorSetup::confirm(const QString &code)
{
    QString why;
    const QString typed = typedCode(code, &why);
    if (!why.isEmpty())
        return fail(why);
    setBusy(true);
    m_api->confirmTwoFactor(typed, this, [this](const ApiResult &r) {
        if (!r.ok())
            return fail(r.error.sentence);
        showCodes(r.body);
    });
}

void TwoFactorSetup::disable(const QString &code)
{
    QString why;
    const QString typed = typedCode(code, &why);
    if (!why.isEmpty())
        return fail(why);
    setBusy(true);
    m_api->disableTwoFactor(typed, this, [this](const ApiResult &r) {
        if (!r.ok())
            return fail(r.error.sentence);
        m_enabled = false;
        m_recoveryCodesLeft = 0;
        m_step = Overview;
        setBusy(false);
    });
}

void TwoFactorSetup::renewRecoveryCodes(const QString &code)
{
    QString why;
    const QString typed = typedCode(code, &why);
    if (!why.isEmpty())
        return fail(why);
    setBusy(true);
    m_api->renewRecoveryCodes(typed, this, [this](const ApiResult &r) {
        if (!r.ok())
            return fail(r.error.sentence);
        showCodes(r.body);
    });
}

void TwoFactorSetup::done()
{
    m_codes.clear();
    m_step = Overview;
    m_error.clear();
    emit changed();
    emit finished();
}

void TwoFactorSetup::cancel()
{
    m_secret.clear();
    m_uri.clear();
    m_step = Overview;
    m_error.clear();
    emit changed();
}

void TwoFactorSetup::reset()
{
    m_codes.clear();
    m_secret.clear();
    m_uri.clear();
    m_step = Overview;
    m_enabled = m_required = false;
    m_recoveryCodesLeft = 0;
    m_busy = false;
    m_error.clear();
    emit changed();
}

} // namespace larch
