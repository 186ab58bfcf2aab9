// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// AppController: Practice Links: the staff's list of links (App.practiceLinks), and the conversation a patient's
// sign-up through a link made, opened once it is listed.
#include "models/app/AppController.h"

#include "client/net/EventStream.h"
#include "client/sync/SyncEngine.h"
#include "models/conversations/ConversationListModel.h"
#include "models/practicelinks/PracticeLinks.h"

#include <QRegularExpression>
#include <QUrl>

namespace larch {

void AppController::connectPracticeLinks()
{
    m_practiceLinks = new PracticeLinks(
        m_api, [this] { return m_session && m_session->user.isStaff() ? m_session->user.practiceId : QString(); },
        [this] { return m_session && m_session->user.role == QLatin1String("admin"); }, this);
    connect(m_sync->events(), &EventStream::eventArrived, m_practiceLinks, &PracticeLinks::applyEvent);
    // Another person (or nobody) is signed in now: nothing of the previous practice's links may show.
    connect(this, &AppController::userChanged, m_practiceLinks, &PracticeLinks::reset);
    connect(m_sync, &SyncEngine::conversationChanged, this, [this](const ConversationSummary &summary) {
        if (m_openWhenListed.isEmpty() || summary.id != m_openWhenListed || !m_signedIn)
            return;
        m_openWhenListed.clear();
        openConversation(summary.id);
    });
    connect(this, &AppController::signedInChanged, this, [this] {
        if (!m_signedIn)
            m_openWhenListed.clear();
    });
}

QObject *AppController::practiceLinks() const { return m_practiceLinks; }

QString AppController::practiceLinkCode(const QString &link)
{
    static const QRegularExpression codePattern(QStringLiteral("^[A-Za-z0-9_-]{6,64}$"));
    const QString trimmed = link.trimmed();
    const QUrl url(trimmed);
    QString code;
    if (url.scheme() == QLatin1String("larch")) {
        // larch://practice/<code>: "practice" is the host, the code the path.
        if (url.host() != QLatin1String("practice"))
            return {};
        code = url.path().mid(1);
    } else if ((url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"))
               && url.path().startsWith(QLatin1String("/p/"))) {
        code = url.path().mid(3); // the link's page, https://server/p/<code>
    } else {
        return {};
    }
    if (code.endsWith(u'/'))
        code.chop(1);
    return codePattern.match(code).hasMatch() ? code : QString();
}

} // namespace larch
