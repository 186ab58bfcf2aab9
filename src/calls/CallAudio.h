// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A call's microphone and speaker, through Qt Multimedia's devices, so the same code serves desktop and phones.
#pragma once

#include <memory>
#include <QAudioDevice>
#include <QObject>
#include <QPointer>

class QAudioSink;
class QAudioSource;
class QIODevice;

namespace larch::calls {

class CallMedia;

/// Feeds the chosen microphone (or the system's default) into a CallMedia as 48 kHz mono samples, and plays the other
/// side's sound on the chosen speaker. Either can be switched during the call. Where there is no microphone or no
/// speaker (a server room's desktop, a denied permission), problem() says so in a sentence and the call goes on
/// without it.
class CallAudio : public QObject {
    Q_OBJECT
    /// A sentence for the person when the microphone or speaker cannot be used; "" when both work.
    Q_PROPERTY(QString problem READ problem NOTIFY problemChanged)
public:
    explicit CallAudio(CallMedia *media, QObject *parent = nullptr);
    ~CallAudio() override;

    /// Opens the devices (a null QAudioDevice: the system's default).
    void start(const QAudioDevice &microphone = {}, const QAudioDevice &speaker = {});
    void stop();
    void setMicrophone(const QAudioDevice &device);
    void setSpeaker(const QAudioDevice &device);
    QAudioDevice microphone() const { return m_microphoneDevice; }
    QAudioDevice speaker() const { return m_speakerDevice; }
    QString problem() const { return m_problem; }

signals:
    void problemChanged();

private:
    void openMicrophone();
    void openSpeaker();
    void play(const QByteArray &pcm);
    void updateProblem();

    QPointer<CallMedia> m_media;
    bool m_running = false;
    QAudioDevice m_microphoneDevice;
    QAudioDevice m_speakerDevice;
    std::unique_ptr<QAudioSource> m_microphone;
    std::unique_ptr<QAudioSink> m_speaker;
    QIODevice *m_microphoneIo = nullptr; ///< owned by m_microphone
    QIODevice *m_speakerIo = nullptr; ///< owned by m_speaker
    bool m_noMicrophone = false;
    bool m_noSpeaker = false;
    QString m_problem;
};

} // namespace larch::calls
