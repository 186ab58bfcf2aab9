// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/practicelinks/PracticeLinks.h"

#include "client/net/ApiClient.h"
#include "core/protocol/Protocol.h"
#include "core/protocol/ProtocolStandard.h"
#include "core/protocol/TextLength.h"
#include "models/app/SaveLocation.h"
#include "models/practicelinks/PracticeLinkModel.h"
#include "models/practicelinks/QrCode.h"

#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonArray>
#include <QRegularExpression>
#include <QStandardPaths>

namespace larch {

namespace {
constexpr auto PracticeLinkUpdated = "practice_link.updated";
} // namespace

PracticeLinks::PracticeLinks(ApiClient *api, std::function<QString()> practiceId, std::function<bool()> isAdmin,
                             QObject *parent)
    : QObject(parent), m_api(api), m_practiceId(std::move(practiceId)), m_isAdmin(std::move(isAdmin)),
      m_model(new PracticeLinkModel(this))
{ }

QString PracticeLinks::problemWithLabel(const QString &label)
{
    const int length = textLength(label.trimmed());
    if (length == 0)
        return QStringLiteral("Give the link a name your colleagues will recognise, such as \"Front desk flyer\".");
    if (length > MaxLabelLength)
        return QStringLiteral("Shorten the name to %1 characters or fewer (it is %2 now).")
            .arg(MaxLabelLength)
            .arg(length);
    return {};
}

QString PracticeLinks::problemWithTag(const QString &tag)
{
    static const QRegularExpression allowed(QStringLiteral("^[\\p{L}\\p{N} _-]*$"));
    const QString trimmed = tag.trimmed();
    const int length = textLength(trimmed);
    if (length > MaxTagLength)
        return QStringLiteral("Shorten the tag to %1 characters or fewer (it is %2 now).")
            .arg(MaxTagLength)
            .arg(length);
    if (!allowed.match(trimmed).hasMatch())
        return QStringLiteral("Use only letters, digits, spaces, - and _ in the tag.");
    return {};
}

QString PracticeLinks::qrFileName(const QString &label)
{
    static const QRegularExpression unsafe(QStringLiteral("[\\\\/:*?\"<>|\\x00-\\x1f]+"));
    QString name = QString(label).replace(unsafe, QStringLiteral(" ")).simplified();
    if (name.isEmpty())
        name = QStringLiteral("Practice Link");
    return name + QStringLiteral(" QR code.png");
}

QUrl PracticeLinks::suggestedQrFile(const QString &label)
{
    return suggestedSaveUrl({QStandardPaths::PicturesLocation, QStandardPaths::DocumentsLocation}, qrFileName(label));
}

void PracticeLinks::track(
    const std::function<void(ApiClient *, QObject *, std::function<void(const ApiResult &)>)> &start,
    std::function<void(const ApiResult &)> done)
{
    ++m_pending;
    if (m_pending == 1)
        emit busyChanged();
    start(m_api, this, [this, generation = m_generation, done = std::move(done)](const ApiResult &result) {
        if (generation != m_generation)
            return; // signed out meanwhile: the answer belongs to nobody on screen
        --m_pending;
        if (m_pending == 0)
            emit busyChanged();
        done(result);
    });
}

void PracticeLinks::load()
{
    const QString practiceId = m_practiceId();
    if (practiceId.isEmpty())
        return;
    setError({});
    track([practiceId](ApiClient *api, QObject *context,
                       auto callback) { api->fetchPracticeLinks(practiceId, context, std::move(callback)); },
          [this](const ApiResult &result) {
              if (!result.ok()) {
                  setError(result.error.sentence);
                  return;
              }
              QList<PracticeLink> links;
              for (const QJsonValue &value : result.body.value(QLatin1String("links")).toArray()) {
                  if (const auto link = PracticeLink::fromJson(value.toObject()))
                      links.append(*link);
              }
              m_model->reset(links);
              setLoaded(true);
          });
}

void PracticeLinks::add(const QString &label, const QString &tag)
{
    if (m_pending > 0)
        return; // a second click while the first add is on its way would make two links
    const QString problem = !problemWithLabel(label).isEmpty() ? problemWithLabel(label) : problemWithTag(tag);
    setFormError(problem);
    if (!problem.isEmpty())
        return;
    const QString practiceId = m_practiceId();
    track(
        [practiceId, label, tag](ApiClient *api, QObject *context, auto callback) {
            api->createPracticeLink(practiceId, label, tag, context, std::move(callback));
        },
        [this](const ApiResult &result) {
            if (!result.ok()) {
                setFormError(result.error.sentence);
                return;
            }
            if (!applyLink(result.body)) {
                setFormError(ErrorText::badResponse());
                return;
            }
            emit added(result.body.value(QLatin1String("id")).toString());
        });
}

void PracticeLinks::update(const QString &linkId, const QString &label, const QString &tag)
{
    const PracticeLink *link = m_model->link(linkId);
    if (!link)
        return;
    const QString problem = !problemWithLabel(label).isEmpty() ? problemWithLabel(label) : problemWithTag(tag);
    setFormError(problem);
    if (!problem.isEmpty())
        return;
    QJsonObject changes;
    if (label.trimmed() != link->label)
        changes.insert(QStringLiteral("label"), label.trimmed());
    if (tag.trimmed() != link->tag)
        changes.insert(QStringLiteral("tag"), tag.trimmed().isEmpty() ? QJsonValue() : QJsonValue(tag.trimmed()));
    if (changes.isEmpty()) {
        emit updated(linkId);
        return;
    }
    const QString practiceId = m_practiceId();
    track(
        [practiceId, linkId, changes](ApiClient *api, QObject *context, auto callback) {
            api->updatePracticeLink(practiceId, linkId, changes, context, std::move(callback));
        },
        [this, linkId](const ApiResult &result) {
            if (!result.ok()) {
                setFormError(result.error.sentence);
                return;
            }
            applyLink(result.body);
            emit updated(linkId);
        });
}

void PracticeLinks::setEnabled(const QString &linkId, bool on)
{
    const PracticeLink *link = m_model->link(linkId);
    if (!link || link->enabled == on)
        return;
    const PracticeLink before = *link;
    PracticeLink changed = before;
    changed.enabled = on;
    m_model->upsert(changed); // the switch stays where the person put it while the server agrees
    setError({});
    const QString practiceId = m_practiceId();
    track(
        [practiceId, linkId, on](ApiClient *api, QObject *context, auto callback) {
            api->updatePracticeLink(practiceId, linkId, QJsonObject{{"enabled", on}}, context, std::move(callback));
        },
        [this, before](const ApiResult &result) {
            if (!result.ok()) {
                if (const PracticeLink *now = m_model->link(before.id)) {
                    PracticeLink reverted = *now;
                    reverted.enabled = before.enabled;
                    m_model->upsert(reverted);
                }
                setError(result.error.sentence);
                return;
            }
            applyLink(result.body);
        });
}

void PracticeLinks::copyLink(const QString &url)
{
    if (url.isEmpty())
        return;
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(url);
    setNotice(QStringLiteral("Link copied. Paste it into your website, an email or a text message."));
}

bool PracticeLinks::saveQrCode(const QString &url, const QUrl &fileUrl)
{
    QString path = fileUrl.isLocalFile() ? fileUrl.toLocalFile() : fileUrl.toString();
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().compare(QLatin1String("png"), Qt::CaseInsensitive) != 0)
        path += QStringLiteral(".png");
    const QString problem = QrCode::savePng(url, path);
    if (!problem.isEmpty()) {
        setError(problem);
        return false;
    }
    setError({});
    setNotice(
        QStringLiteral("QR code saved as %1. Print it at any size: it stays sharp.").arg(QFileInfo(path).fileName()));
    return true;
}

void PracticeLinks::dismissNotice() { setNotice({}); }

void PracticeLinks::applyEvent(const Event &event)
{
    if (event.type != QLatin1String(PracticeLinkUpdated))
        return;
    // Until the list is fetched, a fetch brings every link anyway; one link alone would look like the whole list.
    if (m_loaded)
        applyLink(event.data);
}

bool PracticeLinks::applyLink(const QJsonObject &json)
{
    const auto link = PracticeLink::fromJson(json);
    if (!link || link->practiceId != m_practiceId())
        return false;
    m_model->upsert(*link);
    return true;
}

void PracticeLinks::setIdentityKey(const QByteArray &signPublic) { m_model->setIdentityKey(signPublic); }

void PracticeLinks::reset()
{
    ++m_generation;
    if (m_pending > 0) {
        m_pending = 0;
        emit busyChanged();
    }
    m_model->reset({});
    setLoaded(false);
    setError({});
    setFormError({});
    setNotice({});
    emit canEditChanged();
}

void PracticeLinks::setLoaded(bool loaded)
{
    if (loaded == m_loaded)
        return;
    m_loaded = loaded;
    emit loadedChanged();
}

void PracticeLinks::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    emit errorChanged();
}

void PracticeLinks::setFormError(const QString &error)
{
    if (error == m_formError)
        return;
    m_formError = error;
    emit formErrorChanged();
}

void PracticeLinks::setNotice(const QString &notice)
{
    if (notice == m_notice)
        return;
    m_notice = notice;
    emit noticeChanged();
}

} // namespace larch
