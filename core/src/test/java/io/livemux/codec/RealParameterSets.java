package io.livemux.codec;

import static io.livemux.codec.EncodedStreams.unhex;

/**
 * Parameter sets and configuration records captured from x264 / x265 (through ffmpeg 5.1) on
 * {@code testsrc2}, as seeds for the fuzzing properties; the interop tests make their own.
 */
public final class RealParameterSets {
  private RealParameterSets() {}

  /** x264 High, 642x362, cqm=jvt:nal-hrd=vbr: VUI with NAL HRD. */
  public static final byte[] X264_HIGH_HRD_SPS =
      unhex("6764001eacd940a42fe224c044000003000400000300f1810007a10001e84a6c30078b16cb");
  /** x264 High with cqm=jvt: the PPS carries scaling lists. */
  public static final byte[] X264_HIGH_CQM_PPS = unhex("68ebecb3002c");
  /** x264 Constrained Baseline, 320x240: POC type 2. */
  public static final byte[] X264_BASELINE_SPS =
      unhex("6742c00dd90141fb0110000003001000000303c0f142a480");
  public static final byte[] X264_BASELINE_PPS = unhex("68cb83cb20");
  /** x264 High 4:4:4 Predictive, 10-bit, 642x362. */
  public static final byte[] X264_HIGH444_10_SPS =
      unhex("67f4001e90d9b281485fc7cf8088000003000800000301e078b16cb0");
  public static final byte[] X264_HIGH444_10_PPS = unhex("68ebe3c44844");
  /** The first 80 bytes of an x264 IDR slice. */
  public static final byte[] X264_IDR_PREFIX =
      unhex(
          "6588840029ffdb80243b06a661da2bbf17fe2c8b0b062246c400af6603b372fa055abf720d5c289a24f9d1"
              + "8c6ea77c370e41e157e3c5d4067d0de12c50980a5fea6cf7cc9063da356f3da0a4afb0e2d2");
  /** ffmpeg's avcC for that High stream. */
  public static final byte[] FFMPEG_AVCC =
      unhex(
          "0164001effe100256764001eacd940a42fe224c044000003000400000300f1810007a10001e84a6c30078b"
              + "16cb01000668ebecb3002cfdf8f800");

  /** x265 Main, 642x362: conformance window. */
  public static final byte[] X265_MAIN_VPS =
      unhex("40010c01ffff01600000030090000003000003003f959809");
  public static final byte[] X265_MAIN_SPS =
      unhex(
          "42010101600000030090000003000003003fa005120171c9265959a4932bc05a020000030002000003003c"
              + "10");
  public static final byte[] X265_PPS = unhex("4401c172b46240");
  /** x265 Main, 320x240, temporal-layers=1, hrd=1: two sub-layers, VUI HRD. */
  public static final byte[] X265_HRD_VPS =
      unhex("40010c02ffff01600000030090000003000003003c00009598acc048");
  public static final byte[] X265_HRD_SPS =
      unhex(
          "42010201600000030090000003000003003c0000a00a080f1659598acd24995e02d010000003001000000301"
              + "e6014966e000f424001e84b8003d090007a122");
  /** The first 80 bytes of an x265 IDR_N_LP slice. */
  public static final byte[] X265_IDR_PREFIX =
      unhex(
          "2801af084c2ea63b7547123d5c63eef658474b38d4f219f585d85fdfa6f2555ba390c327d74cdbe70dbad0"
              + "4858d984cb73ecae13d4f27b4b06fa7a6feecf7027aa67bdb87a98ea2577a00a3387eeb695");
  /** ffmpeg's hvcC (hvc1) for the Main 642x362 stream. */
  public static final byte[] FFMPEG_HVCC =
      unhex(
          "0101600000009000000000003ff000fcfdf8f800000f03a00001001840010c01ffff016000000300900000"
              + "03000003003f959809a10001002c42010101600000030090000003000003003fa005120171c926595"
              + "9a4932bc05a020000030002000003003c10a2000100074401c172b46240");
}
