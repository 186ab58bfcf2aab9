// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// The files the attachment scenes send, made on the spot so the demo ships no media: a photo, a short
// video and a lab report.
#pragma once

#include <QString>

namespace demofiles {

/// A 1600x1200 JPEG that reads as a close-up photo of a forearm with a rash: gradients, soft shapes and grain,
/// no text. Throws SeedError when it cannot be written.
void writePhoto(const QString &path);

/// A three-second 640x360 WebM (VP8) of the photo's forearm turning at the wrist and back, drawn frame by frame and
/// encoded by gst-launch-1.0. Throws SeedError saying what is missing when gst-launch-1.0 or one of the elements
/// it uses (multifilesrc, pngdec, vp8enc) is not installed.
void writeVideo(const QString &path);

/// A three-page PDF "Lab results": a heading and a table of values on page 1, comments on the values (such as
/// "Cholesterol") on page 2, notes on the tests on page 3. Throws SeedError when it cannot be written.
void writeLabResults(const QString &path);

} // namespace demofiles
