// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
#include "calls/CallAudio.h"

#include "calls/CallMedia.h"

#include <QAudioFormat>
#include <QAudioSink>
#include <QAudioSource>
#include <QMediaDevices>

namespace larch::calls {
namespace {

QAudioFormat callFormat()
{
    QAudioFormat format;
    format.setSampleRate(48000);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Int16);
    return format;
}

} // namespace

CallAudio::CallAudio(CallMedia *media, QObject *parent) : QObject(parent), m_media(media)
{
    connect(media, &CallMedia::remoteAudio, this, &CallAudio::play, Qt::QueuedConnection);
}

CallAudio::~CallAudio() { stop(); }

void CallAudio::start(const QAudioDevice &microphone, const QAudioDevice &speaker)
{
    m_running = true;
    m_microphoneDevice = microphone.isNull() ? QMediaDevices::defaultAudioInput() : microphone;
    m_speakerDevice = speaker.isNull() ? QMediaDevices::defaultAudioOutput() : speaker;
    openMicrophone();
    openSpeaker();
}

void CallAudio::stop()
{
    m_running = false;
    if (m_microphone)
        m_microphone->stop();
    if (m_speaker)
        m_speaker->stop();
    m_microphone.reset();
    m_speaker.reset();
    m_microphoneIo = m_speakerIo = nullptr;
}

void CallAudio::setMicrophone(const QAudioDevice &device)
{
    m_microphoneDevice = device;
    if (m_running)
        openMicrophone();
}

void CallAudio::setSpeaker(const QAudioDevice &device)
{
    m_speakerDevice = device;
    if (m_running)
        openSpeaker();
}

void CallAudio::openMicrophone()
{
    if (m_microphone)
        m_microphone->stop();
    m_microphone.reset();
    m_microphoneIo = nullptr;
    m_noMicrophone = m_microphoneDevice.isNull() || !m_microphoneDevice.isFormatSupported(callFormat());
    if (!m_noMicrophone) {
        m_microphone = std::make_unique<QAudioSource>(m_microphoneDevice, callFormat());
        m_microphoneIo = m_microphone->start();
        m_noMicrophone = !m_microphoneIo; // refused: a denied permission, a device gone
        if (m_microphoneIo)
            connect(m_microphoneIo, &QIODevice::readyRead, this, [this] {
                if (m_media && m_microphoneIo)
                    m_media->sendAudioSamples(m_microphoneIo->readAll());
            });
    }
    updateProblem();
}

void CallAudio::openSpeaker()
{
    if (m_speaker)
        m_speaker->stop();
    m_speaker.reset();
    m_speakerIo = nullptr;
    m_noSpeaker = m_speakerDevice.isNull() || !m_speakerDevice.isFormatSupported(callFormat());
    if (!m_noSpeaker) {
        m_speaker = std::make_unique<QAudioSink>(m_speakerDevice, callFormat());
        m_speakerIo = m_speaker->start();
        m_noSpeaker = !m_speakerIo;
    }
    updateProblem();
}

void CallAudio::play(const QByteArray &pcm)
{
    if (m_speakerIo)
        m_speakerIo->write(pcm);
}

void CallAudio::updateProblem()
{
    QString problem;
    if (m_noMicrophone && m_noSpeaker)
        problem = tr("No microphone or speaker was found: you will see each other but not hear. Connect a headset, "
                     "or allow Larch to use the microphone, then choose it in the call's settings.");
    else if (m_noMicrophone)
        problem = tr("No microphone was found, so the other side cannot hear you. Connect one, or allow Larch to use "
                     "the microphone, then choose it in the call's settings.");
    else if (m_noSpeaker)
        problem = tr("No speaker was found, so you cannot hear the other side. Connect headphones or a speaker, then "
                     "choose it in the call's settings.");
    if (problem == m_problem)
        return;
    m_problem = problem;
    emit problemChanged();
}

} // namespace larch::calls
