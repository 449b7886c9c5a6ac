package io.livemux.cli;

import io.livemux.format.AacFormat;
import io.livemux.format.AudioFormat;
import io.livemux.format.H264Format;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.format.VideoFormat;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Human and machine names of track formats, as the command line prints them. Stateless. */
final class Formats {
  private Formats() {}

  /** "video" or "audio". */
  static String kind(MediaFormat format) {
    return format instanceof VideoFormat ? "video" : "audio";
  }

  /** The codec's short name as ffprobe prints it: h264, hevc, aac, pcm_s16le. */
  static String codecName(MediaFormat format) {
    if (format instanceof H264Format) {
      return "h264";
    }
    if (format instanceof H265Format) {
      return "hevc";
    }
    if (format instanceof AacFormat) {
      return "aac";
    }
    return format.mimeType();
  }

  /** The RFC 6381 codec string (avc1.64001f, mp4a.40.2), or the MIME type when there is none. */
  static String codecString(MediaFormat format) {
    if (format instanceof H264Format) {
      return ((H264Format) format).codecString();
    }
    if (format instanceof H265Format) {
      return ((H265Format) format).codecString();
    }
    if (format instanceof AacFormat) {
      return ((AacFormat) format).codecString();
    }
    return format.mimeType();
  }

  /**
   * {@code value} (finite, not negative) with {@code places} decimals, as {@code
   * String.format(Locale.ROOT, "%.2f", value)} prints it (its shortest decimal form rounded half
   * up), without the formatter, whose first use costs a short command tens of milliseconds (it
   * parses the pattern with regular expressions built at run time).
   */
  static String decimal(double value, int places) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("not a finite, non-negative value: " + value);
    }
    return new BigDecimal(Double.toString(value)).setScale(places, RoundingMode.HALF_UP).toPlainString();
  }

  /** "H.264 1920x1080 (avc1.64002a)", "AAC 48000 Hz 2 ch (mp4a.40.2)". */
  static String describe(MediaFormat format) {
    String name = format instanceof H264Format ? "H.264" : format instanceof H265Format ? "H.265"
        : format instanceof AacFormat ? "AAC" : format.mimeType();
    if (format instanceof VideoFormat) {
      VideoFormat v = (VideoFormat) format;
      return name + " " + v.width() + "x" + v.height() + " (" + codecString(format) + ")";
    }
    AudioFormat a = (AudioFormat) format;
    return name + " " + a.sampleRateHz() + " Hz " + a.channelCount() + " ch (" + codecString(format) + ")";
  }
}
