// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/invites/InvitationTextEditor.h"

#include "client/net/ApiClient.h"
#include "core/protocol/TextLength.h"

#include <QRegularExpression>

namespace larch {

InvitationTextEditor::InvitationTextEditor(ApiClient *api, std::function<QString()> practiceId, QObject *parent)
    : QObject(parent), m_api(api), m_practiceId(std::move(practiceId))
{ }

QString InvitationTextEditor::problemWith(const QString &text)
{
    const int links = text.count(QLatin1String("{link}"));
    if (links == 0)
        return QStringLiteral("Add {link} where the invitation link should go.");
    if (links > 1)
        return QStringLiteral("Use {link} only once.");
    static const QRegularExpression placeholder(QStringLiteral("\\{[^}]*\\}"));
    if (QString(text).remove(QLatin1String("{link}")).contains(placeholder))
        return QStringLiteral("Only {link} can be filled in; remove the other words in braces.");
    const int length = textLength(text.trimmed());
    if (length < 20)
        return QStringLiteral("Write at least 20 characters so patients know who invites them.");
    if (length > 320)
        return QStringLiteral("Shorten the text to 320 characters or fewer (it is %1 now).").arg(length);
    return {};
}

QString InvitationTextEditor::problemWithRegion(const QString &region)
{
    static const QRegularExpression twoLetters(QStringLiteral("^[A-Za-z]{2}$"));
    if (region.trimmed().isEmpty())
        return QStringLiteral("Enter the two-letter code of the practice's country, such as US or GB.");
    if (!twoLetters.match(region.trimmed()).hasMatch())
        return QStringLiteral("Use two letters for the region, such as US or GB.");
    return {};
}

void InvitationTextEditor::load()
{
    setErrors({}, {});
    setBusy(true);
    m_api->fetchPracticeSettings(m_practiceId(), this, [this](const ApiResult &result) {
        setBusy(false);
        if (!result.ok()) {
            setErrors(result.error.sentence, {});
            return;
        }
        apply(result.body);
    });
}

void InvitationTextEditor::save(const QString &text) { saveSettings(text, m_region); }

void InvitationTextEditor::saveSettings(const QString &text, const QString &region)
{
    if (m_busy)
        return;
    const QString wantedRegion = region.trimmed().toUpper();
    const bool regionChanged = wantedRegion != m_region;
    const QString textProblem = problemWith(text);
    const QString regionProblem = regionChanged ? problemWithRegion(wantedRegion) : QString();
    setErrors(textProblem, regionProblem);
    if (!textProblem.isEmpty() || !regionProblem.isEmpty())
        return;
    if (!regionChanged) {
        saveText(text);
        return;
    }
    setBusy(true);
    m_api->updatePracticeSettings(
        m_practiceId(), QJsonObject{{"defaultRegion", wantedRegion}}, this, [this, text](const ApiResult &result) {
            setBusy(false);
            if (!result.ok()) {
                setErrors({}, result.error.sentence); // e.g. "ZZ is not a country or region …"
                return;
            }
            apply(result.body);
            saveText(text);
        });
}

void InvitationTextEditor::saveText(const QString &text)
{
    if (text.trimmed() == m_text) {
        emit saved();
        return;
    }
    setBusy(true);
    m_api->updatePracticeSettings(m_practiceId(), QJsonObject{{"invitationText", text.trimmed()}}, this,
                                  [this](const ApiResult &result) {
                                      setBusy(false);
                                      if (!result.ok()) {
                                          setErrors(result.error.sentence, {});
                                          return;
                                      }
                                      apply(result.body);
                                      emit saved();
                                  });
}

void InvitationTextEditor::apply(const QJsonObject &settings)
{
    m_text = settings.value(QLatin1String("invitationText")).toString();
    m_isDefault = settings.value(QLatin1String("invitationTextIsDefault")).toBool();
    m_region = settings.value(QLatin1String("defaultRegion")).toString();
    emit textChanged();
}

void InvitationTextEditor::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

void InvitationTextEditor::setErrors(const QString &error, const QString &regionError)
{
    if (error == m_error && regionError == m_regionError)
        return;
    m_error = error;
    m_regionError = regionError;
    emit errorChanged();
}

} // namespace larch
