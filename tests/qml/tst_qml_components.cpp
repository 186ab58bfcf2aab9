// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Runs the tst_*.qml QuickTests in this folder against the statically linked `Larch` QML module.
#include "ComposeTestKit.h"
#include "models/attachments/AttachmentImages.h"
#include "models/compose/ComposeImageProvider.h"
#include "models/practicelinks/QrCode.h"

#include <QBuffer>
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

} // namespace

// Gives each test engine the app's style, the resource path where the `Larch` module lives, the app's image
// providers, and sample files: a PDF (samplePdfUrl), a video (sampleVideoUrl, "" without GStreamer) and thumbnails under image://attachment/thumb/m-photo,
// m-pdf and m-video.
class Setup : public QObject {
    Q_OBJECT
public slots:
    void applicationAvailable()
    {
        QQuickStyle::setStyle(QStringLiteral("Basic"));
        m_pdf = QUrl::fromLocalFile(writeSamplePdf(m_dir.filePath(QStringLiteral("letter.pdf"))));
        const QString video = writeSampleVideo(m_dir.filePath(QStringLiteral("knee.webm")));
        m_video = video.isEmpty() ? QUrl() : QUrl::fromLocalFile(video);
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
    }

private:
    QTemporaryDir m_dir;
    QUrl m_pdf;
    QUrl m_video;
    std::shared_ptr<larch::AttachmentImages> m_images = std::make_shared<larch::AttachmentImages>();
};

QUICK_TEST_MAIN_WITH_SETUP(qml_components, Setup)

#include "tst_qml_components.moc"
