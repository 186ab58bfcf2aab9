#include "DemoSeed.h"

#include "Crypto.h"

#include <QDateTime>

namespace larch::server {
namespace {

const QString kPassword = QStringLiteral("larch-demo-password");

struct Line {
    int who;        ///< 0 = patient, 1 = Ben, 2 = Ana
    int minutesAgo;
    const char *body;
};

/// Writes a conversation's demo messages with their historical times, oldest first.
void writeThread(Storage &storage, ConversationService &conversations, const ConversationRecord &record,
                 const User &patient, const User &ben, const User &ana, std::initializer_list<Line> lines)
{
    const QStringList to = conversations.recipients(record);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const Line &l : lines) {
        const User &sender = l.who == 0 ? patient : (l.who == 1 ? ben : ana);
        NewMessage m{newId(), newId(), record.id, sender.id, sender.name, QString::fromUtf8(l.body),
                     now - qint64(l.minutesAgo) * 60'000};
        storage.sendMessage(m, to);
    }
}

} // namespace

bool seedDemo(Storage &storage, AccountService &accounts, ConversationService &conversations)
{
    if (storage.userByEmail(QStringLiteral("ana@birch.example")))
        return false;
    const auto practice = accounts.createPractice(QStringLiteral("Birch Family Medicine"), QStringLiteral("Ana Ruiz"),
                                                  QStringLiteral("ana@birch.example"), kPassword);
    const User &ana = practice.admin;
    const User ben = accounts.addStaff(ana, practice.practice.id, QStringLiteral("Dr. Ben Okafor"),
                                       QStringLiteral("ben@birch.example"), kPassword, QStringLiteral("clinician"));
    const auto sam = accounts.addPatient(ana, practice.practice.id, QStringLiteral("Sam Lee"),
                                         QStringLiteral("sam@patient.example"), kPassword);
    const auto maya = accounts.addPatient(ana, practice.practice.id, QStringLiteral("Maya Chen"),
                                          QStringLiteral("maya@patient.example"), kPassword);
    const auto samRecord = storage.conversation(sam.conversation.id);
    const auto mayaRecord = storage.conversation(maya.conversation.id);
    constexpr int day = 24 * 60;
    writeThread(storage, conversations, *samRecord, sam.user, ben, ana,
                {{1, 3 * day + 120, "Welcome to Birch Family Medicine on Larch. You can message the care team here."},
                 {0, 3 * day + 90, "Thanks! Is it fine to take ibuprofen with my new prescription?"},
                 {1, 3 * day + 60, "Yes, that is fine. Take it with food and no more than three times a day."},
                 {0, 2 * day, "The rash on my arm is getting better."},
                 {0, 45, "Could I move my appointment on Thursday to the afternoon?"}});
    writeThread(storage, conversations, *mayaRecord, maya.user, ben, ana,
                {{2, day + 300, "Hi Maya, your lab results are in. Dr. Okafor will go through them with you."},
                 {1, day + 240, "Your results look good. Keep the same dose and we will check again in three months."},
                 {0, 20, "Great news, thank you. Do I need to book the next blood test myself?"},
                 {0, 18, "Also, can I get a copy of the results?"}});
    // Ben has read Sam's thread up to the rash update and Maya's up to his own reply; the newest are unread.
    storage.markRead(samRecord->id, ben.id, 4, conversations.recipients(*samRecord));
    storage.markRead(mayaRecord->id, ben.id, 2, conversations.recipients(*mayaRecord));
    // Patients have read everything the practice wrote.
    storage.markRead(samRecord->id, sam.user.id, 5, conversations.recipients(*samRecord));
    storage.markRead(mayaRecord->id, maya.user.id, 4, conversations.recipients(*mayaRecord));
    return true;
}

} // namespace larch::server
