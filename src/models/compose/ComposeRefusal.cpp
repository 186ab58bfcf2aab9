// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/compose/ComposeRefusal.h"

#include "core/attachments/AttachmentType.h"
#include "models/attachments/AttachmentText.h"

#include <cmath>
#include <QLocale>

namespace larch {

namespace {

QString quoted(const QString &name) { return QStringLiteral("“%1”").arg(name); }

// The whole sentence when a drop held one file that was refused.
QString singleSentence(const ComposeRefusal &r, qint64 maxBytes, int maxPending)
{
    const QString n = quoted(r.name);
    using R = ComposeRefusal::Reason;
    switch (r.reason) {
    case R::NotLocal: return QStringLiteral("%1 isn't a file on this device. Save it here first, then add it.").arg(n);
    case R::Folder: return QStringLiteral("%1 is a folder. Drop the files themselves.").arg(n);
    case R::Unreadable:
        return QStringLiteral("%1 can't be read. Check that it still exists and that you may open it.").arg(n);
    case R::Empty: return QStringLiteral("%1 is empty.").arg(n);
    case R::TooLarge:
        return QStringLiteral("%1 is %2; attachments can be up to %3.")
            .arg(n, AttachmentText::sizeText(r.size), AttachmentText::sizeText(maxBytes));
    case R::Unsupported: return QStringLiteral("%1 isn't a file Larch can send. %2").arg(n, acceptedAttachmentTypes());
    case R::HeicUnreadable:
        return QStringLiteral("%1 is a HEIC photo, which can't be read on this device. Export it as JPEG and add "
                              "it again.")
            .arg(n);
    case R::ConversionFailed:
        return QStringLiteral("%1 couldn't be converted to JPEG on this device. Export it as JPEG and add it again.")
            .arg(n);
    case R::UprightFailed:
        return QStringLiteral("%1 is stored turned on its side and couldn't be turned upright on this device. Open "
                              "it in a photo editor, save it upright and add it again.")
            .arg(n);
    case R::PdfDamaged:
        return QStringLiteral("%1 can't be opened as a PDF; it may be damaged. Save a new copy and add that.").arg(n);
    case R::PdfPassword:
        return QStringLiteral("%1 is protected by a password, which the patient's app can't open. Save a copy "
                              "without the password and add that.")
            .arg(n);
    case R::PhotoDamaged:
        return QStringLiteral("%1 can't be read as a photo; it may be damaged. Save a new copy and add that.").arg(n);
    case R::VideoDamaged:
        return QStringLiteral("%1 can't be read as a video; it may be damaged. Save it again from the app that "
                              "made it, then add the new copy.")
            .arg(n);
    case R::TooMany:
        return QStringLiteral("Up to %1 attachments can wait in the compose bar; %2 was not added. Send these "
                              "first, then add it.")
            .arg(QLocale().toString(maxPending), n);
    }
    return {};
}

// One clause of the several-files sentence: short, so that a few fit in one line of the strip.
QString clause(const ComposeRefusal &r, qint64 maxBytes, int maxPending)
{
    const QString n = quoted(r.name);
    using R = ComposeRefusal::Reason;
    switch (r.reason) {
    case R::NotLocal: return QStringLiteral("%1 isn't on this device").arg(n);
    case R::Folder: return QStringLiteral("%1 is a folder").arg(n);
    case R::Unreadable: return QStringLiteral("%1 can't be read").arg(n);
    case R::Empty: return QStringLiteral("%1 is empty").arg(n);
    case R::TooLarge:
        return QStringLiteral("%1 is %2, over the %3 limit")
            .arg(n, AttachmentText::sizeText(r.size), AttachmentText::sizeText(maxBytes));
    case R::Unsupported: return QStringLiteral("%1 isn't a file Larch can send").arg(n);
    case R::HeicUnreadable:
        return QStringLiteral("%1 is HEIC, which this device can't read (export it as JPEG)").arg(n);
    case R::ConversionFailed: return QStringLiteral("%1 couldn't be converted to JPEG").arg(n);
    case R::UprightFailed: return QStringLiteral("%1 couldn't be turned upright").arg(n);
    case R::PdfDamaged: return QStringLiteral("%1 can't be opened as a PDF").arg(n);
    case R::PdfPassword: return QStringLiteral("%1 is protected by a password").arg(n);
    case R::PhotoDamaged: return QStringLiteral("%1 can't be read as a photo").arg(n);
    case R::VideoDamaged: return QStringLiteral("%1 can't be read as a video").arg(n);
    case R::TooMany:
        return QStringLiteral("%1 would make more than %2 attachments").arg(n, QLocale().toString(maxPending));
    }
    return {};
}

} // namespace

QString composeRefusalSentence(const QList<ComposeRefusal> &refusals, qint64 maxBytes, int maxPending)
{
    if (refusals.isEmpty())
        return {};
    if (refusals.size() == 1)
        return singleSentence(refusals.constFirst(), maxBytes, maxPending);

    // A long list would push the compose bar off a phone's screen: name a few, count the rest.
    constexpr int Named = 4;
    QStringList clauses;
    bool typeRefused = false;
    for (const ComposeRefusal &r : refusals) {
        typeRefused = typeRefused || r.reason == ComposeRefusal::Reason::Unsupported;
        if (clauses.size() < Named)
            clauses << clause(r, maxBytes, maxPending);
    }
    if (refusals.size() > Named)
        clauses << QStringLiteral("and %1 more").arg(QLocale().toString(refusals.size() - Named));
    QString sentence = QStringLiteral("%1 files were not added: %2.")
                           .arg(QLocale().toString(refusals.size()), clauses.join(QStringLiteral("; ")));
    if (typeRefused)
        sentence += u' ' + acceptedAttachmentTypes();
    return sentence;
}

} // namespace larch
