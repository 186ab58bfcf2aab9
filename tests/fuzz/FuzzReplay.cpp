// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// Runs a fuzz target's entry point over files, without libFuzzer: the regression inputs kept beside the target
// (crashes once found, never to come back) and seeds made here, so every ctest run replays them with GCC.
// Usage: replay_<target> [--seeds-only] [--write-seeds DIR] PATH...   (a PATH may be a folder of inputs)
#include "FuzzSeeds.h"

#include <cstdint>
#include <cstdio>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {
int run(const QByteArray &input)
{
    return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size()));
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    int replayed = 0;
    const QList<QByteArray> seeds = fuzzSeeds();
    const int writeAt = int(args.indexOf(QStringLiteral("--write-seeds")));
    if (writeAt >= 0 && writeAt + 1 < args.size()) {
        const QDir dir(args.at(writeAt + 1));
        QDir().mkpath(dir.path());
        for (int i = 0; i < seeds.size(); ++i) {
            QFile out(dir.filePath(QStringLiteral("seed-%1").arg(i, 3, 10, QLatin1Char('0'))));
            if (!out.open(QIODevice::WriteOnly) || out.write(seeds.at(i)) != seeds.at(i).size())
                return 2;
        }
        args.remove(writeAt, 2);
    }
    for (const QByteArray &seed : seeds) {
        run(seed);
        ++replayed;
    }
    for (const QString &path : args) {
        QStringList files;
        if (QFileInfo(path).isDir()) {
            QDirIterator it(path, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext())
                files << it.next();
        } else {
            files << path;
        }
        for (const QString &name : files) {
            if (name.endsWith(QLatin1String(".md")))
                continue; // the folder's README
            QFile file(name);
            if (!file.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "cannot read %s\n", qPrintable(name));
                return 2;
            }
            run(file.readAll());
            ++replayed;
        }
    }
    std::printf("replayed %d inputs without a failure\n", replayed);
    return 0;
}
