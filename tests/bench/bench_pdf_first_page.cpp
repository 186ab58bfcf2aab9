// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Benchmark: time to the first page of a 100-page PDF as the app renders it (Qt PDF, PDFium inside), beside
// pdftoppm (poppler) rendering the same page of the same file in the same run. Prints figures; not a test.
#include "HeadlessPlatform.h"

#include <algorithm>
#include <cstdio>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFont>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPdfDocument>
#include <QPdfWriter>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <vector>

namespace {

constexpr int Pages = 100;
constexpr int Runs = 9;
/// The card preview and the viewer's first paint both render at about this width.
constexpr int RenderWidth = 1240; // A4 at 150 dpi

/// A text-heavy document like a scanned-and-OCRed lab report bundle: every page full of lines and a table.
bool writeDocument(const QString &path)
{
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(300);
    QPainter p(&writer);
    if (!p.isActive())
        return false;
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSize(10);
    p.setFont(font);
    const int lineHeight = 60;
    for (int page = 0; page < Pages; ++page) {
        if (page > 0)
            writer.newPage();
        p.drawText(100, 150, QStringLiteral("Laboratory results, page %1 of %2").arg(page + 1).arg(Pages));
        for (int line = 0; line < 50; ++line) {
            const int y = 300 + line * lineHeight;
            p.drawText(100, y,
                       QStringLiteral("Analyte %1   value %2 mmol/L   reference 3.5 – 5.1   flagged: no")
                           .arg(line + 1)
                           .arg(4.0 + (line % 7) * 0.1, 0, 'f', 1));
            p.drawLine(100, y + 15, 2380, y + 15);
        }
    }
    return p.end();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// ms to open the file and render page 1 at RenderWidth, as a fresh document each run (nothing cached).
double qtPdfFirstPage(const QString &path, QSize *size)
{
    QElapsedTimer timer;
    timer.start();
    QPdfDocument doc;
    if (doc.load(path) != QPdfDocument::Error::None || doc.pageCount() != Pages)
        return -1;
    const QSizeF points = doc.pagePointSize(0);
    const QSize target(RenderWidth, int(RenderWidth * points.height() / points.width()));
    const QImage image = doc.render(0, target);
    const double ms = timer.nsecsElapsed() / 1e6;
    if (image.isNull())
        return -1;
    *size = image.size();
    return ms;
}

/// ms for pdftoppm to render page 1 to a PNG of the same width (process start included, as a user would pay it).
double pdftoppmFirstPage(const QString &path, const QString &outPrefix)
{
    QElapsedTimer timer;
    timer.start();
    QProcess p;
    p.start(QStringLiteral("pdftoppm"),
            {QStringLiteral("-f"), QStringLiteral("1"), QStringLiteral("-l"), QStringLiteral("1"),
             QStringLiteral("-scale-to-x"), QString::number(RenderWidth), QStringLiteral("-scale-to-y"),
             QStringLiteral("-1"), QStringLiteral("-png"), path, outPrefix});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return -1;
    return timer.nsecsElapsed() / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    bench::useOffscreenWithoutDisplay();
    QGuiApplication app(argc, argv);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("report.pdf"));
    if (!writeDocument(path)) {
        std::fprintf(stderr, "could not write the test PDF\n");
        return 1;
    }
    std::printf("document: %d pages, %lld KiB\n", Pages, QFileInfo(path).size() / 1024);

    std::vector<double> qt, poppler;
    QSize rendered;
    for (int i = 0; i < Runs; ++i) {
        const double q = qtPdfFirstPage(path, &rendered);
        if (q < 0) {
            std::fprintf(stderr, "Qt PDF could not render the first page\n");
            return 1;
        }
        qt.push_back(q);
    }
    const bool havePdftoppm = !QStandardPaths::findExecutable(QStringLiteral("pdftoppm")).isEmpty();
    for (int i = 0; havePdftoppm && i < Runs; ++i) {
        const double t = pdftoppmFirstPage(path, dir.filePath(QStringLiteral("page")));
        if (t < 0) {
            std::fprintf(stderr, "pdftoppm failed\n");
            return 1;
        }
        poppler.push_back(t);
    }
    std::printf("first page at %dx%d, median of %d runs (best):\n", rendered.width(), rendered.height(), Runs);
    std::printf("  Qt PDF (open + render):  %.1f ms (%.1f ms)   target <= 100 ms\n", median(qt),
                *std::min_element(qt.begin(), qt.end()));
    if (havePdftoppm)
        std::printf("  pdftoppm (whole process): %.1f ms (%.1f ms)\n", median(poppler),
                    *std::min_element(poppler.begin(), poppler.end()));
    else
        std::printf("  pdftoppm: not installed (poppler-utils)\n");
    return 0;
}
