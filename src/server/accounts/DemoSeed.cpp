// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "server/accounts/DemoSeed.h"

namespace larch::server {

bool seedDemo(Storage &storage, AccountService &accounts)
{
    const QString password = QStringLiteral("larch-demo-password");
    if (storage.accounts().userByEmail(QStringLiteral("ana@birch.example")))
        return false;
    const auto practice = accounts.createPractice(QStringLiteral("Birch Family Medicine"), QStringLiteral("Ana Ruiz"),
                                                  QStringLiteral("ana@birch.example"), password);
    const User &ana = practice.admin;
    accounts.addStaff(ana, practice.practice.id, QStringLiteral("Dr. Ben Okafor"), QStringLiteral("ben@birch.example"),
                      password, QStringLiteral("clinician"));
    // Adding a patient opens their secure conversation with the practice.
    accounts.addPatient(ana, practice.practice.id, QStringLiteral("Sam Lee"), QStringLiteral("sam@patient.example"),
                        password);
    accounts.addPatient(ana, practice.practice.id, QStringLiteral("Maya Chen"), QStringLiteral("maya@patient.example"),
                        password);
    return true;
}

} // namespace larch::server
