// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AttachmentScene: the files a scene attaches, made here, and the steps to each attachment screen.
#include "StartupAttachments.h"

#include "models/app/RoleLookup.h"
#include "models/thread/MessageAttachmentModel.h"
#include "models/thread/ThreadModel.h"

#include <QAbstractItemModel>
#include <QCoreApplication>
#include <QDateTime>
#include <QDragEnterEvent>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QFile>
#include <QImage>
#include <QLinearGradient>
#include <QMimeData>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRadialGradient>
#include <QTextStream>
#include <QUrl>

using larch::roleNumber;

namespace {

const QString kCompose = QStringLiteral("compose-attachments");
// The viewer scenes and the kind of file each opens.
const QList<std::pair<QString, QString>> kViewers = {{QStringLiteral("image-viewer"), QStringLiteral("image")},
                                                     {QStringLiteral("video-player"), QStringLiteral("video")},
                                                     {QStringLiteral("pdf-viewer"), QStringLiteral("pdf")}};
// What the PDF viewer's search field is given, so the picture shows matches (the seeded lab results have several).
const QString kPdfSearch = QStringLiteral("cholesterol");
// Qt PDF renders pages asynchronously after the document is ready.
constexpr int kPdfRenderMs = 1000;
// How long the open conversation may take to be known as secure before the scene gives up on it.
constexpr int kSecureWaitMs = 5000;

// Whether a state or kind the models report, as text ("ready") or as an enum (AttachmentState::Ready), is name.
bool isNamed(const QVariant &value, const QString &name)
{
    return value.toString().compare(name, Qt::CaseInsensitive) == 0;
}

QString kindOf(const QString &scene)
{
    for (const auto &[name, kind] : kViewers) {
        if (name == scene)
            return kind;
    }
    return {};
}

// A photo as a phone takes it: a swollen ankle on a towel, soft light (no text; a chip shows it small).
bool writePhoto(const QString &path)
{
    QImage image(1200, 900, QImage::Format_RGB32);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QLinearGradient towel(0, 0, 0, 900);
    towel.setColorAt(0, QColor(0x9f, 0xc3, 0xc8));
    towel.setColorAt(1, QColor(0x4d, 0x72, 0x78));
    p.fillRect(image.rect(), towel);
    QRadialGradient ankle(QPointF(620, 470), 420);
    ankle.setColorAt(0, QColor(0xe8, 0xb4, 0x98));
    ankle.setColorAt(0.7, QColor(0xc9, 0x8c, 0x70));
    ankle.setColorAt(1, QColor(0x8a, 0x58, 0x45));
    p.setPen(Qt::NoPen);
    p.setBrush(ankle);
    p.drawRoundedRect(QRectF(180, 260, 900, 420), 210, 210);
    QRadialGradient swelling(QPointF(700, 470), 170);
    swelling.setColorAt(0, QColor(200, 80, 80, 130));
    swelling.setColorAt(1, Qt::transparent);
    p.setBrush(swelling);
    p.drawEllipse(QPointF(700, 470), 170, 150);
    p.end();
    return image.save(path, "JPEG", 88);
}

// A two-page referral letter: a coloured letterhead and a large heading, so its first page reads as a letter
// even as a chip's thumbnail.
bool writePdf(const QString &path)
{
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(144);
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout::Millimeter);
    writer.setTitle(QStringLiteral("Referral letter"));
    QPainter p;
    if (!p.begin(&writer))
        return false;
    const QRect page(0, 0, writer.width(), writer.height());
    for (int number = 1; number <= 2; ++number) {
        if (number == 2)
            writer.newPage();
        p.fillRect(QRect(0, 0, page.width(), 60), QColor(0x0f, 0x6e, 0x66));
        QFont heading(QStringLiteral("DejaVu Sans"));
        heading.setPointSizeF(22);
        heading.setBold(true);
        p.setFont(heading);
        p.setPen(QColor(0x1d, 0x2b, 0x2e));
        p.drawText(page.adjusted(0, 100, 0, 0), Qt::AlignTop | Qt::AlignLeft,
                   number == 1 ? QStringLiteral("Referral: physiotherapy") : QStringLiteral("Previous treatment"));
        QFont body(QStringLiteral("DejaVu Sans"));
        body.setPointSizeF(11);
        p.setFont(body);
        p.drawText(page.adjusted(0, 200, 0, 0), Qt::AlignTop | Qt::AlignLeft | Qt::TextWordWrap,
                   QStringLiteral("Right ankle sprain, six weeks ago. Swelling has improved but the ankle still "
                                  "gives way on uneven ground. Please assess and treat balance and strength."));
    }
    return p.end();
}

} // namespace

QStringList AttachmentScene::names()
{
    QStringList all{kCompose};
    for (const auto &viewer : kViewers)
        all << viewer.first;
    return all;
}

AttachmentScene::AttachmentScene(QObject *app, QQuickWindow *window, QString name)
    : m_app(app), m_window(window), m_name(std::move(name))
{
    m_started.start();
}

bool AttachmentScene::advance()
{
    // Both need the open conversation's page, and a secure one: only those take and show files.
    if (!m_window->findChild<QObject *>(QStringLiteral("threadPage")))
        return false;
    if (!m_app->property("current").value<QObject *>()->property("secure").toBool()) {
        if (m_started.elapsed() > kSecureWaitMs)
            m_error = QStringLiteral("the first conversation is not a secure one; only those carry files");
        return false;
    }
    return m_name == kCompose ? advanceCompose() : advanceViewer();
}

bool AttachmentScene::writeComposeFiles()
{
    if (!m_files.isValid()) {
        m_error = QStringLiteral("cannot make a temporary folder: %1").arg(m_files.errorString());
        return false;
    }
    QFile notes(m_files.filePath(QStringLiteral("Discharge notes.pdf")));
    const bool written = writePhoto(m_files.filePath(QStringLiteral("Swollen ankle.jpg")))
        && writePdf(m_files.filePath(QStringLiteral("Referral letter.pdf"))) && notes.open(QIODevice::WriteOnly)
        && notes.write("Plain text, not a PDF: the compose bar tells by the content.\n") > 0;
    if (!written)
        m_error = QStringLiteral("cannot write the files to attach in %1").arg(m_files.path());
    return written;
}

bool AttachmentScene::dropFile(QQuickItem *target, const QString &path)
{
    auto *attachments = m_app->property("compose").value<QObject *>()->property("attachments").value<QObject *>();
    const QString before = attachments->property("refusal").toString();
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(path)});
    const QPoint at = target->mapToScene(QPointF(target->width() / 2, target->height() / 2)).toPoint();
    QDragEnterEvent enter(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_window, &enter);
    QDragMoveEvent move(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_window, &move);
    QDropEvent drop(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_window, &drop);
    return attachments->property("refusal").toString() != before;
}

bool AttachmentScene::advanceCompose()
{
    QObject *compose = m_app->property("compose").value<QObject *>();
    QObject *attachments = compose ? compose->property("attachments").value<QObject *>() : nullptr;
    auto *dropArea = m_window->findChild<QQuickItem *>(QStringLiteral("composeDropArea"));
    if (!attachments || !dropArea || !dropArea->isEnabled() || dropArea->width() <= 0)
        return false;
    QQuickItem *bar = dropArea->parentItem(); // ComposeBar: addFiles() is what its "+" menu and drops call
    switch (m_stage) {
    case 0: {
        if (!writeComposeFiles())
            return false;
        const QVariantList picked{QUrl::fromLocalFile(m_files.filePath(QStringLiteral("Swollen ankle.jpg"))),
                                  QUrl::fromLocalFile(m_files.filePath(QStringLiteral("Referral letter.pdf")))};
        QMetaObject::invokeMethod(bar, "addFiles", Q_ARG(QVariant, picked));
        m_stage = 1;
        return false;
    }
    case 1: {
        if (attachments->property("count").toInt() < 2)
            return false;
        const QString refused = m_files.filePath(QStringLiteral("Discharge notes.pdf"));
        if (!dropFile(dropArea, refused)) {
            QTextStream(stderr) << "larch-shots: the simulated drop was not taken; adding the file as a drop would\n";
            QMetaObject::invokeMethod(bar, "addFiles", Q_ARG(QVariant, QVariantList{QUrl::fromLocalFile(refused)}));
        }
        m_stage = 2;
        return false;
    }
    default:
        // Settled once the chips' previews are made and the refusal is on show beside them.
        return attachments->property("count").toInt() == 2 && !attachments->property("preparing").toBool()
            && !attachments->property("refusal").toString().isEmpty();
    }
}

std::pair<QString, int> AttachmentScene::newestFileOf(const QString &kind) const
{
    auto *thread = qobject_cast<larch::ThreadModel *>(m_app->property("thread").value<QObject *>());
    if (!thread)
        return {};
    const int idRole = roleNumber(thread, "messageId");
    const int countRole = roleNumber(thread, "attachmentCount");
    const int sentRole = roleNumber(thread, "sentAt");
    std::pair<QString, int> newest{QString(), -1};
    QDateTime newestAt;
    for (int row = 0; row < thread->rowCount(); ++row) {
        const QModelIndex index = thread->index(row, 0);
        const QString id = index.data(idRole).toString();
        const QDateTime at = index.data(sentRole).toDateTime();
        if (id.isEmpty() || index.data(countRole).toInt() == 0 || (!newest.first.isEmpty() && at <= newestAt))
            continue;
        // The message's files as its bubble shows them, the first of this kind.
        larch::MessageAttachmentModel files;
        files.setThread(thread);
        files.setMessageId(id);
        for (int file = 0; file < files.rowCount(); ++file) {
            if (isNamed(files.index(file).data(larch::MessageAttachmentModel::KindRole), kind)) {
                newest = {id, file};
                newestAt = at;
                break;
            }
        }
    }
    return newest;
}

QObject *AttachmentScene::viewerItem() const
{
    QObject *loader = m_window->findChild<QObject *>(QStringLiteral("viewerLoader"));
    return loader ? loader->property("item").value<QObject *>() : nullptr;
}

bool AttachmentScene::advanceViewer()
{
    const QString kind = kindOf(m_name);
    QObject *host = m_window->findChild<QObject *>(QStringLiteral("attachmentViewer"));
    QObject *controller = m_app->property("attachments").value<QObject *>();
    if (!host || !controller)
        return false;
    if (m_stage == 0) {
        // As a tap on the card does (ThreadPage: attachmentOpenRequested → the viewer's show()).
        const auto [messageId, index] = newestFileOf(kind);
        if (messageId.isEmpty())
            return false;
        QMetaObject::invokeMethod(host, "show", Q_ARG(QVariant, messageId), Q_ARG(QVariant, index));
        m_stage = 1;
        return false;
    }
    const QVariant state = controller->property("state");
    if (isNamed(state, QStringLiteral("failed"))) {
        m_error = QStringLiteral("the %1 could not be opened: %2").arg(kind, controller->property("error").toString());
        return false;
    }
    QObject *item = viewerItem();
    if (!isNamed(state, QStringLiteral("ready")) || !item)
        return false;
    if (kind == QLatin1String("image"))
        return item->property("ready").toBool();
    if (kind == QLatin1String("video")) {
        // Playing, a little way in: the picture shows a frame of the video, not a black box.
        QObject *media = item->findChild<QObject *>(QStringLiteral("mediaPlayer"));
        if (!item->property("errorText").toString().isEmpty()) {
            m_error = item->property("errorText").toString();
            return false;
        }
        return media && item->property("playing").toBool() && media->property("position").toLongLong() >= 200;
    }
    if (item->property("pageCount").toInt() <= 0)
        return false;
    if (!m_loaded.isValid()) {
        m_loaded.start();
        item->setProperty("searchText", kPdfSearch);
    }
    return m_loaded.elapsed() >= kPdfRenderMs;
}
