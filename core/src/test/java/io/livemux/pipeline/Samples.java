package io.livemux.pipeline;

import io.livemux.format.PcmFormat;
import io.livemux.format.RawVideoFormat;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;

/** Small real samples for pipeline tests: 2x2 I420 pictures and 1-frame mono PCM blocks. */
final class Samples {
  static final RawVideoFormat VIDEO = RawVideoFormat.yuv420p(2, 2);
  static final PcmFormat AUDIO = PcmFormat.s16le(48_000, 1);
  private static final ByteBuffer PICTURE = ByteBuffer.allocate(VIDEO.pictureSizeBytes());
  private static final ByteBuffer PCM = ByteBuffer.allocate(2);

  private Samples() {}

  /** Video frame number {@code n} at 30 fps in 90 kHz; pts = dts = n * 3000. */
  static Sample video(long n, boolean sync, boolean disposable) {
    return Sample.builder(VIDEO)
        .presentationTimeTicks(n * 3000)
        .durationTicks(3000)
        .flags((sync ? Sample.FLAG_SYNC : 0) | (disposable ? Sample.FLAG_DISPOSABLE : 0))
        .payload(PICTURE)
        .build();
  }

  /** Audio block number {@code n}: 1024 frames long at 48 kHz, pts = n * 1024. */
  static Sample audio(long n) {
    return Sample.builder(AUDIO)
        .presentationTimeTicks(n * 1024)
        .durationTicks(1024)
        .payload(PCM)
        .build();
  }

  /** The n-th frame of a GOP pattern "I B P B P ..." with a keyframe every {@code gop} frames. */
  static Sample gopVideo(long n, int gop) {
    boolean sync = n % gop == 0;
    boolean disposable = !sync && n % 2 == 1;
    return video(n, sync, disposable);
  }
}
