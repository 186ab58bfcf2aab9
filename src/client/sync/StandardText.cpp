// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "client/sync/StandardText.h"

#include <QLocale>

namespace larch::StandardText {

namespace {
// A note and the consent it recorded are written in one server transaction; a second of slack is plenty.
constexpr qint64 SameMomentMs = 2000;

QString who(const QString &senderName)
{
    return senderName.trimmed().isEmpty() ? QStringLiteral("Someone at the practice") : senderName.trimmed();
}
} // namespace

QString noteSentence(const MessageNote &note, const QString &senderName, const QString &consentMethod)
{
    const QString &kind = note.kind;
    if (kind == QLatin1String("consent_recorded")) {
        if (consentMethod == QLatin1String("verbal"))
            return QStringLiteral("%1 recorded verbal consent to unencrypted messages.").arg(who(senderName));
        if (consentMethod == QLatin1String("written"))
            return QStringLiteral("%1 recorded written consent to unencrypted messages.").arg(who(senderName));
        if (consentMethod == QLatin1String("patient_initiated"))
            return QStringLiteral("%1 recorded consent to unencrypted messages: the patient got in touch this way.")
                .arg(who(senderName));
        return QStringLiteral("%1 recorded consent to unencrypted messages.").arg(who(senderName));
    }
    if (kind == QLatin1String("opted_out"))
        return QStringLiteral("This number replied STOP and is unsubscribed.");
    if (kind == QLatin1String("opted_in"))
        return QStringLiteral("This number replied START and can be texted again.");
    if (kind == QLatin1String("secure_invited"))
        return QStringLiteral("Invited to a secure conversation.");
    // A note a newer server writes: say that something happened rather than nothing.
    return QStringLiteral("The conversation was updated. Update Larch to see how.");
}

QString consentMethodOf(const Message &note, const std::optional<StandardContact> &standard)
{
    if (!note.note || note.note->kind != QLatin1String("consent_recorded") || !standard || !standard->consent)
        return {};
    const Consent &consent = *standard->consent;
    if (consent.recordedBy != note.senderId || std::abs(consent.at - note.sentAt) > SameMomentMs)
        return {};
    return consent.method;
}

QString consentRequired()
{
    return QStringLiteral("Record the patient's consent to unencrypted messages before the first message.");
}

QString optedOut()
{
    return QStringLiteral("This number replied STOP, so it gets no texts from the practice until it replies START.");
}

QString smsTooLong()
{
    return QStringLiteral("A text message can hold up to %1 characters. Shorten it, or send it in parts.")
        .arg(QLocale().toString(SmsBodyMax));
}

} // namespace larch::StandardText
