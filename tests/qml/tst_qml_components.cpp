// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Runs the tst_*.qml QuickTests in this folder against the statically linked `Larch` QML module.
#include "client/net/ApiClient.h"
#include "client/store/LocalStore.h"
#include "ComposeTestKit.h"
#include "models/attachments/AttachmentImages.h"
#include "models/compose/ComposeImageProvider.h"
#include "models/practicelinks/QrCode.h"
#include "models/thread/ThreadModel.h"

#include <QBuffer>
#include <QDateTime>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QProcess>
#include <QTemporaryDir>
#include <QtQml/QQmlContext>
#include <QtQml/QQmlEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickControls2/QQuickStyle>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(LarchPlugin)
Q_IMPORT_QML_PLUGIN(Larch_ModelsPlugin)

namespace {

// A JPEG as a sending device makes for a thumbnail: a plain picture of the given size.
QByteArray jpeg(QSize size, QColor colour)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(colour);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 80);
    return bytes;
}

// A three-page A4 PDF with real text: "Larch" on every page and "gallbladder" only on page 2, for the viewer's
// page count, navigation and search.
QString writeSamplePdf(const QString &path)
{
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(72);
    writer.setTitle(QStringLiteral("Larch test letter"));
    QPainter painter(&writer);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSize(18);
    painter.setFont(font);
    const QStringList lines{QStringLiteral("Larch clinic letter, page one: discharge summary."),
                            QStringLiteral("Larch clinic letter, page two: the gallbladder was removed."),
                            QStringLiteral("Larch clinic letter, page three: follow-up in six weeks.")};
    for (int page = 0; page < lines.size(); ++page) {
        if (page > 0)
            writer.newPage();
        painter.drawText(QPointF(60, 100), lines.at(page));
    }
    painter.end();
    return path;
}

// Ten seconds of a 320×240 test picture as WebM, made with GStreamer's gst-launch (gstreamer1.0-tools) the way a
// phone's camera makes a clip; "" when gst-launch is not there (the video tests then skip).
QString writeSampleVideo(const QString &path)
{
    const QStringList pipeline{QStringLiteral("-q"),
                               QStringLiteral("videotestsrc"),
                               QStringLiteral("num-buffers=300"),
                               QStringLiteral("!"),
                               QStringLiteral("video/x-raw,width=320,height=240,framerate=30/1"),
                               QStringLiteral("!"),
                               QStringLiteral("vp8enc"),
                               QStringLiteral("!"),
                               QStringLiteral("webmmux"),
                               QStringLiteral("!"),
                               QStringLiteral("filesink"),
                               QStringLiteral("location=") + path};
    QProcess gst;
    gst.start(QStringLiteral("gst-launch-1.0"), pipeline);
    if (!gst.waitForFinished(60000) || gst.exitCode() != 0 || QFileInfo(path).size() == 0)
        return {};
    return path;
}

// A file a message carries, as the sender's message describes it (no blob behind it: nothing downloads).
larch::AttachmentRef fileRef(const QString &kind, const QString &mime, const QString &name, int n)
{
    larch::AttachmentRef ref;
    ref.blobId = QStringLiteral("b0000000-0000-4000-8000-00000000000%1").arg(n);
    ref.key = QByteArray(larch::AttachmentRef::KeyBytes, 'k');
    ref.blobSha256 = QByteArray(32, 's');
    ref.size = 2'516'582;
    ref.kind = kind;
    ref.mime = mime;
    ref.name = name;
    return ref;
}

} // namespace

/// A real thread (ThreadModel over a LocalStore, no server) open on a conversation whose message "m-three" carries a
/// photo, a PDF and a video, so QuickTests see the files as the app's models give them (sampleThread).
class SampleThread {
public:
    SampleThread(const QString &dir, std::shared_ptr<larch::AttachmentImages> images) : m_store(dir)
    {
        m_store.open();
        m_store.setStorageKey(larch::SecretBytes::random(32));
        larch::Conversation c;
        c.id = QStringLiteral("c-sample");
        c.practiceId = QStringLiteral("p");
        c.patientId = QStringLiteral("sam");
        c.title = QStringLiteral("Sam Lee");
        c.kind = QStringLiteral("secure");
        m_store.conversations().upsert(c);
        larch::AttachmentRef photo = fileRef("image", "image/jpeg", "Forearm, day 3.jpg", 0);
        photo.width = 1600;
        photo.height = 1200;
        photo.thumbnail = jpeg(QSize(320, 240), QColor(0xc9, 0x8c, 0x70));
        larch::AttachmentRef pdf = fileRef("pdf", "application/pdf", "Lab results.pdf", 1);
        pdf.pages = 3;
        pdf.thumbnail = jpeg(QSize(210, 297), Qt::white);
        larch::AttachmentRef video = fileRef("video", "video/webm", "Wrist, day 3.webm", 2);
        video.durationMs = 3000;
        larch::StoredMessage stored;
        stored.verification = larch::Verification::Verified;
        stored.message.id = QStringLiteral("m-three");
        stored.message.clientId = QStringLiteral("c-three");
        stored.message.conversationId = c.id;
        stored.message.seq = 1;
        stored.message.senderId = QStringLiteral("sam");
        stored.message.senderName = QStringLiteral("Sam Lee");
        stored.message.body = QStringLiteral("Today's photo, my results and the wrist");
        stored.message.sentAt = QDateTime::currentMSecsSinceEpoch();
        stored.attachments = {photo, pdf, video};
        m_store.messages().applyMessage(stored, QStringLiteral("ben"));
        m_thread.setUser(QStringLiteral("ben"), QStringLiteral("Dr. Ben Okafor"));
        m_thread.setImages(std::move(images));
        m_thread.open(c.id);
    }
    larch::ThreadModel *thread() { return &m_thread; }

private:
    larch::LocalStore m_store;
    larch::ApiClient m_api;
    larch::ThreadModel m_thread{&m_store, &m_api};
};

// Gives each test engine the app's style, the resource path where the `Larch` module lives, the app's image
// providers, and sample files: a PDF (samplePdfUrl), a video (sampleVideoUrl, "" without GStreamer) and thumbnails under image://attachment/thumb/m-photo,
// m-pdf and m-video; and a real thread with a message of three files (sampleThread, see SampleThread).
class Setup : public QObject {
    Q_OBJECT
public slots:
    void applicationAvailable()
    {
        QQuickStyle::setStyle(QStringLiteral("Basic"));
        m_pdf = QUrl::fromLocalFile(writeSamplePdf(m_dir.filePath(QStringLiteral("letter.pdf"))));
        const QString video = writeSampleVideo(m_dir.filePath(QStringLiteral("knee.webm")));
        m_video = video.isEmpty() ? QUrl() : QUrl::fromLocalFile(video);
        // First: opening a thread clears the thumbnails of the one shown before.
        m_thread = std::make_unique<SampleThread>(m_dir.filePath(QStringLiteral("store")), m_images);
        m_images->setThumbnail(larch::AttachmentImages::messageKey(QStringLiteral("photo")),
                               jpeg(QSize(320, 240), QColor(0x2e, 0x7d, 0x6b)));
        m_images->setThumbnail(larch::AttachmentImages::messageKey(QStringLiteral("pdf")),
                               jpeg(QSize(210, 297), Qt::white));
        m_images->setThumbnail(larch::AttachmentImages::messageKey(QStringLiteral("video")),
                               jpeg(QSize(320, 180), QColor(0x30, 0x30, 0x40)));
        // The compose bar's attachments and sample files, as LarchTest.ComposeKit (tst_ComposeAttachments.qml).
        qmlRegisterSingletonInstance("LarchTest", 1, 0, "ComposeKit", new ComposeTestKit(this));
    }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        // Practice Links' QR codes and attachment thumbnails, as the app serves them (the engine owns providers).
        engine->addImageProvider(QStringLiteral("qr"), new larch::QrImageProvider);
        engine->addImageProvider(QLatin1String(larch::AttachmentImages::ProviderName),
                                 new larch::AttachmentImageProvider(m_images));
        engine->addImageProvider(QLatin1String(larch::ComposeImageProvider::Name), new larch::ComposeImageProvider);
        engine->rootContext()->setContextProperty(QStringLiteral("samplePdfUrl"), m_pdf);
        engine->rootContext()->setContextProperty(QStringLiteral("sampleVideoUrl"), m_video);
        engine->rootContext()->setContextProperty(QStringLiteral("sampleThread"), m_thread->thread());
    }

private:
    QTemporaryDir m_dir;
    QUrl m_pdf;
    QUrl m_video;
    std::shared_ptr<larch::AttachmentImages> m_images = std::make_shared<larch::AttachmentImages>();
    std::unique_ptr<SampleThread> m_thread;
};

QUICK_TEST_MAIN_WITH_SETUP(qml_components, Setup)

#include "tst_qml_components.moc"
