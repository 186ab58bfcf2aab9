// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// textLength and textLeft: characters as a person counts them (emoji, joined emoji, flags, accents, line ends), not
// UTF-16 units, on fixed examples.
#include "core/protocol/TextLength.h"

#include <QtTest>

using namespace larch;

namespace {
const QString ThumbsUp = QStringLiteral(u"\U0001F44D");
const QString ThumbsUpMediumSkin = QStringLiteral(u"\U0001F44D\U0001F3FD");
/// Man, woman, girl, boy joined by zero-width joiners: eleven UTF-16 units, one character.
const QString Family = QStringLiteral(u"\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466");
const QString FlagFrance = QStringLiteral(u"\U0001F1EB\U0001F1F7");
/// "e" with four combining marks (acute, circumflex, tilde, macron) stacked on it.
const QString StackedE = QStringLiteral(u"e\u0301\u0302\u0303\u0304");
} // namespace

class TestCoreTextLength : public QObject {
    Q_OBJECT
private slots:
    void countsWhatAPersonCounts_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("length");
        QTest::newRow("empty") << QString() << 0;
        QTest::newRow("letters") << QStringLiteral("Ana Ruiz") << 8;
        QTest::newRow("emoji (a surrogate pair)") << ThumbsUp << 1;
        QTest::newRow("emoji with a skin tone") << ThumbsUpMediumSkin << 1;
        QTest::newRow("family joined by ZWJ") << Family << 1;
        QTest::newRow("flag") << FlagFrance << 1;
        QTest::newRow("two flags") << FlagFrance + FlagFrance << 2;
        QTest::newRow("keycap") << QStringLiteral(u"1\uFE0F\u20E3") << 1;
        QTest::newRow("accent composed") << QStringLiteral(u"\u00E9") << 1;
        QTest::newRow("accent decomposed") << QStringLiteral(u"e\u0301") << 1;
        QTest::newRow("four marks on one letter") << StackedE << 1;
        QTest::newRow("Hangul jamo syllable") << QStringLiteral(u"\u1100\u1161\u11A8") << 1;
        QTest::newRow("CR LF") << QStringLiteral("\r\n") << 1;
        QTest::newRow("lone surrogate") << QString(QChar(0xD800)) << 1;
        QTest::newRow("mixed") << QStringLiteral("Hi ") + ThumbsUpMediumSkin + Family + QStringLiteral(u"!\u00E9") << 7;
        QTest::newRow("150 emoji") << ThumbsUp.repeated(150) << 150;
        QTest::newRow("150 families") << Family.repeated(150) << 150;
        QTest::newRow("200 stacked letters") << StackedE.repeated(200) << 200;
    }
    void countsWhatAPersonCounts()
    {
        QFETCH(QString, text);
        QFETCH(int, length);
        QCOMPARE(textLength(text), length);
    }

    void leftKeepsWholeCharacters()
    {
        QCOMPARE(textLeft(Family + QStringLiteral("a"), 1), Family);
        QCOMPARE(textLeft(ThumbsUp.repeated(3), 2), ThumbsUp.repeated(2));
        QCOMPARE(textLeft(StackedE.repeated(3), 1), StackedE);
        QCOMPARE(textLeft(QStringLiteral("abc"), 2), QStringLiteral("ab"));
        // Shorter than max, or exactly max: unchanged.
        QCOMPARE(textLeft(Family.repeated(2), 10), Family.repeated(2));
        QCOMPARE(textLeft(Family.repeated(2), 2), Family.repeated(2));
        QCOMPARE(textLeft(QStringLiteral("abc"), 0), QString());
        QCOMPARE(textLeft(QString(), 5), QString());
    }
};

QTEST_GUILESS_MAIN(TestCoreTextLength)
#include "tst_core_text_length.moc"
