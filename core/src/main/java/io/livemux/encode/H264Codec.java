package io.livemux.encode;

import io.livemux.LivemuxException;
import io.livemux.bitstream.NalUnits;
import io.livemux.format.H264Format;
import io.livemux.sample.Sample;
import io.livemux.time.MediaTime;
import java.math.RoundingMode;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.encode.RateControl;
import org.jcodec.codecs.h264.io.model.NALUnit;
import org.jcodec.codecs.h264.io.model.NALUnitType;
import org.jcodec.codecs.h264.io.model.PictureParameterSet;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rect;
import org.jcodec.common.model.Size;

/**
 * JCodec's H.264 encoder as a {@link SegmentCodec}: one raw picture in, one access unit out, as
 * length-prefixed NAL units (4-byte lengths) without the parameter sets, which live in the
 * track's {@link H264Format}.
 *
 * <p><b>The format before the first picture.</b> JCodec derives its SPS and PPS from the picture
 * size alone ({@code H264Encoder.initSPS/initPPS}: Baseline, one reference frame, cropping for
 * sizes that are not whole macroblocks; the level is ours, see {@link LevelledEncoder}). {@link #format} writes them exactly as the
 * encoder writes them in front of every IDR (NAL header, emulation prevention), so the pipeline
 * track can be added before any picture is encoded. Every IDR's in-band SPS and PPS are checked
 * against the announced ones, and a difference fails the encoder rather than producing a stream its
 * {@code avcC} does not describe.
 *
 * <p><b>Keyframes and frame numbers.</b> The engine says where a segment starts; that picture is an
 * IDR ({@code doEncodeFrame} with {@code idr = true}, I slice) and every other one a P picture
 * referring to the previous. frame_num and pic_order_cnt_lsb count from the IDR (JCodec reduces
 * them modulo MaxFrameNum and MaxPicOrderCntLsb, H.264 7.4.3); we wrap our count at 2^16, a
 * multiple of both. Presentation order is decode order, so decode time = presentation time.
 *
 * <p><b>Known JCodec 0.2.5 defect: drift, worst in chroma.</b> JCodec's encoder reconstructs
 * pictures differently from every decoder, so its intra predictions and reference pictures drift
 * from what is decoded. Three places, all in its in-loop deblocking (H.264 8.7): {@code
 * MBDeblocker.deblockMBGeneric} filters the chroma of every internal edge, chroma rows and columns
 * 2, 4 and 6 (4:2:0 filters only 4); the encodeMacroblock of {@code MBEncoderI16x16} and {@code
 * MBEncoderP16x16} deblocks the macroblock before {@code H264Encoder.collectPredictors} takes its
 * right column and bottom row as intra predictors (8.3.1.2 predicts from samples before
 * deblocking); and {@code MBEncoderP16x16.luma} never fills {@code EncodedMB.getNc()}, so P
 * macroblocks get boundary strength 0 where coded coefficients make it 2 (8.7.2.1). With the three
 * corrected in a scratch copy of JCodec (not in livemux), its reconstruction ({@code
 * H264Encoder.ref}) is bit-exact with ffmpeg's decoding for I and P pictures, and at QP 24 the PSNR
 * of {@code TestPictures} no longer depends on the size (Y 46.3, U and V 42.4 dB at 320x240,
 * 1280x720 and 2048x1152, against U 38.4, 29.1 and 25.0 as shipped). A fourth, from QP 30: chroma
 * is quantized and deblocked with the luma QP instead of QPc (Table 8-15). The error follows the
 * DC-prediction chains from the top-left macroblock, so it grows with the picture's macroblock rows
 * and columns, and shows on smooth chroma gradients (sharp-edged content such as ffmpeg's testsrc2
 * keeps 37 dB). No setting avoids it: JCodec has no switch, and the deblocking runs inside its
 * macroblock encoders, which {@code H264Encoder}'s private slice loop calls. JCodec's master has
 * all three fixed (the deblocker and the predictor order in "[h264_enc] RDO", March 2020), in no
 * release: 0.2.5 is the last. {@code H264CodecTest} shows our picture filling adds nothing: our
 * slices are JCodec's own.
 *
 * <p>Not thread-safe: one instance per encoder thread.
 */
final class H264Codec implements SegmentCodec<RawFrame> {
  /**
   * A macroblock may take at most this many bits before it is re-encoded one QP higher: JCodec
   * writes each slice into a buffer of 8 bits per pixel (2048 bits a macroblock), which it does not
   * grow.
   */
  static final int MAX_BITS_PER_MACROBLOCK = 1800;

  private static final int NAL_LENGTH_SIZE = 4;
  private static final int NAL_SPS = 7;
  private static final int NAL_PPS = 8;

  private final VideoEncoderSettings settings;
  private final H264Format format;
  private final ByteBuffer announcedSps;
  private final ByteBuffer announcedPps;
  private final H264Encoder encoder;
  private final GuardedRateControl rateControl;
  private final BitrateControl bitrateControl;
  private final Picture picture;
  private final int paddedWidth;
  private final int paddedHeight;
  private final ByteBuffer out;
  private final NalUnits.Cursor cursor = NalUnits.annexBCursor();
  private final List<ByteBuffer> nals = new ArrayList<>();

  private int frameNum;
  private long lastPresentationUs = Long.MIN_VALUE;
  private long lastFrameDurationUs;

  H264Codec(VideoEncoderSettings settings, H264Format format) {
    this.settings = settings;
    this.format = format;
    this.announcedSps = format.sps().get(0);
    this.announcedPps = format.pps().get(0);
    this.paddedWidth = (settings.width() + 15) & ~15;
    this.paddedHeight = (settings.height() + 15) & ~15;
    this.bitrateControl = settings.hasBitrate() ? new BitrateControl(settings.bitrateBps()) : null;
    this.rateControl = new GuardedRateControl(settings.qp());
    this.encoder = new LevelledEncoder(rateControl);
    this.picture =
        Picture.createCropped(paddedWidth, paddedHeight, ColorSpace.YUV420J,
            new Rect(0, 0, settings.width(), settings.height()));
    // Room for a picture at 8 bits per pixel (JCodec's own slice bound) plus the parameter sets.
    this.out = ByteBuffer.allocate(paddedWidth * paddedHeight + 4096);
    this.lastFrameDurationUs = settings.nominalFrameDurationUs();
  }

  /** The track format JCodec's encoder will produce for these settings; see the class comment. */
  static H264Format format(VideoEncoderSettings settings) {
    H264Encoder encoder = new LevelledEncoder(new GuardedRateControl(settings.qp()));
    SeqParameterSet sps = encoder.initSPS(new Size(settings.width(), settings.height()));
    PictureParameterSet pps = encoder.initPPS();
    ByteBuffer spsNal = ByteBuffer.allocate(1024);
    new NALUnit(NALUnitType.SPS, 3).write(spsNal);
    ByteBuffer raw = ByteBuffer.allocate(1024);
    sps.write(raw);
    ((Buffer) raw).flip();
    H264Utils.escapeNAL(raw, spsNal);
    ((Buffer) spsNal).flip();
    ByteBuffer ppsNal = ByteBuffer.allocate(1024);
    new NALUnit(NALUnitType.PPS, 3).write(ppsNal);
    raw = ByteBuffer.allocate(1024);
    pps.write(raw);
    ((Buffer) raw).flip();
    H264Utils.escapeNAL(raw, ppsNal);
    ((Buffer) ppsNal).flip();
    try {
      List<ByteBuffer> spsList = new ArrayList<>();
      spsList.add(spsNal);
      List<ByteBuffer> ppsList = new ArrayList<>();
      ppsList.add(ppsNal);
      return H264Format.fromParameterSets(spsList, ppsList);
    } catch (LivemuxException e) {
      throw new IllegalStateException("JCodec's parameter sets for " + settings + " do not parse", e);
    }
  }

  @Override
  public void encode(RawFrame frame, boolean segmentStart, List<Sample> samples)
      throws LivemuxException {
    long presentationUs =
        MediaTime.rescaleTicks(
            frame.presentationTimeTicks, frame.timescale, 1_000_000, RoundingMode.FLOOR);
    if (!segmentStart && lastPresentationUs != Long.MIN_VALUE
        && presentationUs > lastPresentationUs) {
      lastFrameDurationUs = presentationUs - lastPresentationUs;
    }
    lastPresentationUs = presentationUs;
    if (bitrateControl != null) {
      rateControl.frameQp = bitrateControl.qpFor(segmentStart, lastFrameDurationUs);
    }
    fillPicture(frame);
    frameNum = segmentStart ? 0 : (frameNum + 1) & 0xFFFF;
    ((Buffer) out).clear();
    ByteBuffer annexB =
        encoder.doEncodeFrame(picture, out, segmentStart, frameNum,
            segmentStart ? SliceType.I : SliceType.P);
    ByteBuffer payload = toLengthPrefixed(annexB, segmentStart, frame);
    if (bitrateControl != null) {
      bitrateControl.frameDone(segmentStart, 8L * payload.remaining(), rateControl.frameQp,
          lastFrameDurationUs);
    }
    Sample.Builder b =
        Sample.builder(format)
            .timescale(frame.timescale)
            .presentationTimeTicks(frame.presentationTimeTicks)
            .flags(segmentStart ? Sample.FLAG_SYNC : 0)
            .payload(payload);
    if (frame.durationTicks >= 0) {
      b.durationTicks(frame.durationTicks);
    }
    samples.add(b.build());
  }

  @Override
  public void endSegment(List<Sample> samples) {
    // No delay line: every picture came out as it went in.
  }

  /** The access unit without SPS/PPS, each NAL unit behind its 4-byte length (ISO/IEC 14496-15 5.3.2). */
  private ByteBuffer toLengthPrefixed(ByteBuffer annexB, boolean idr, RawFrame frame)
      throws LivemuxException {
    nals.clear();
    int size = 0;
    boolean sawSps = false;
    boolean sawPps = false;
    cursor.reset(annexB);
    while (cursor.next()) {
      ByteBuffer nal = cursor.slice();
      int type = NalUnits.h264NalType(nal.get(0));
      if (type == NAL_SPS || type == NAL_PPS) {
        ByteBuffer announced = type == NAL_SPS ? announcedSps : announcedPps;
        if (!announced.equals(nal)) {
          throw new LivemuxException(
              "JCodec wrote a " + (type == NAL_SPS ? "SPS" : "PPS")
                  + " that differs from the track's avcC, at presentation time "
                  + frame.presentationTimeTicks + "/" + frame.timescale);
        }
        sawSps |= type == NAL_SPS;
        sawPps |= type == NAL_PPS;
        continue;
      }
      nals.add(nal);
      size += NAL_LENGTH_SIZE + nal.remaining();
    }
    if (idr && !(sawSps && sawPps)) {
      throw new LivemuxException(
          "JCodec's IDR at presentation time " + frame.presentationTimeTicks + "/" + frame.timescale
              + " came without its SPS and PPS");
    }
    ByteBuffer payload = ByteBuffer.allocate(size);
    for (ByteBuffer nal : nals) {
      payload.putInt(nal.remaining());
      payload.put(nal);
    }
    ((Buffer) payload).flip();
    return payload;
  }

  /**
   * Copies the frame into JCodec's picture: planes of whole macroblocks holding sample minus 128,
   * the padding beyond the picture filled by repeating its last column and row (cropped away by the
   * SPS, and cheap to code).
   */
  private void fillPicture(RawFrame frame) {
    int width = settings.width();
    int height = settings.height();
    byte[] y = picture.getPlaneData(0);
    byte[] u = picture.getPlaneData(1);
    byte[] v = picture.getPlaneData(2);
    int chromaStride = paddedWidth >> 1;
    if (frame.i420 != null) {
      ByteBuffer src = frame.i420;
      int chromaWidth = width >> 1;
      int chromaHeight = height >> 1;
      copyPlane(src, 0, width, height, y, paddedWidth);
      copyPlane(src, width * height, chromaWidth, chromaHeight, u, chromaStride);
      copyPlane(src, width * height + chromaWidth * chromaHeight, chromaWidth, chromaHeight, v,
          chromaStride);
    } else if (frame.argb != null) {
      ColorConversion.argbToYuv420(frame.argb, width, height, y, paddedWidth, u, v, chromaStride,
          true);
    } else {
      ColorConversion.rgb24ToYuv420(frame.rgb24, width, height, y, paddedWidth, u, v, chromaStride,
          true);
    }
    pad(y, width, height, paddedWidth, paddedHeight);
    pad(u, width >> 1, height >> 1, chromaStride, paddedHeight >> 1);
    pad(v, width >> 1, height >> 1, chromaStride, paddedHeight >> 1);
  }

  private static void copyPlane(ByteBuffer src, int offset, int width, int height, byte[] dst,
      int stride) {
    for (int row = 0; row < height; row++) {
      ((Buffer) src).position(offset + row * width);
      src.get(dst, row * stride, width);
      for (int i = row * stride, end = i + width; i < end; i++) {
        dst[i] ^= (byte) 0x80; // 0..255 to JCodec's -128..127
      }
    }
  }

  private static void pad(byte[] plane, int width, int height, int stride, int paddedHeight) {
    if (width < stride) {
      for (int row = 0; row < height; row++) {
        int base = row * stride;
        byte last = plane[base + width - 1];
        for (int i = base + width; i < base + stride; i++) {
          plane[i] = last;
        }
      }
    }
    for (int row = height; row < paddedHeight; row++) {
      System.arraycopy(plane, (height - 1) * stride, plane, row * stride, stride);
    }
  }

  /**
   * JCodec's encoder with a level that fits the picture: JCodec writes level_idc 40 whatever the
   * size, which pictures over level 4.0's MaxFS of 8192 macroblocks (H.264 Table A-1; 1920x1088
   * is 8160) would break. Those get 5.1 (MaxFS 36864, enough for 4096x2304). The frame rate is
   * not known up front, so MaxMBPS is not checked. JCodec calls {@link #initSPS} for every IDR,
   * so the in-band SPS and the announced one agree.
   */
  static final class LevelledEncoder extends H264Encoder {
    static final int LEVEL_4_0_MAX_FRAME_MACROBLOCKS = 8192;

    LevelledEncoder(RateControl rateControl) {
      super(rateControl);
    }

    @Override
    public SeqParameterSet initSPS(Size size) {
      SeqParameterSet sps = super.initSPS(size);
      int macroblocks = (sps.picWidthInMbsMinus1 + 1) * (sps.picHeightInMapUnitsMinus1 + 1);
      sps.levelIdc = macroblocks <= LEVEL_4_0_MAX_FRAME_MACROBLOCKS ? 40 : 51;
      return sps;
    }
  }

  /**
   * JCodec's per-macroblock hook, used for one QP per picture ({@link #frameQp}) with one guard: a
   * macroblock over {@link #MAX_BITS_PER_MACROBLOCK} bits is re-encoded one QP higher (never above
   * 51), so a slice never overflows JCodec's fixed buffer; the rest of that picture stays at the
   * raised QP, as JCodec carries each macroblock's delta on to the next.
   */
  private static final class GuardedRateControl implements RateControl {
    /** The QP of the next picture. */
    int frameQp;
    private int qp;

    GuardedRateControl(int constantQp) {
      this.frameQp = constantQp;
    }

    @Override
    public int startPicture(Size size, int maxSize, SliceType sliceType) {
      qp = frameQp;
      return qp;
    }

    @Override
    public int initialQpDelta() {
      return 0;
    }

    @Override
    public int accept(int bits) {
      if (bits > MAX_BITS_PER_MACROBLOCK && qp < 51) {
        qp++;
        return 1;
      }
      return 0;
    }
  }

  /**
   * Picture-level rate control towards a bitrate (ours: JCodec 0.2.5's {@code
   * H264FixedRateControl} restarts every picture from QP 26/30 and in practice ignores its
   * target). A bucket counts the bits spent minus the bits the bitrate allowed for each picture's
   * duration; before each P picture the QP moves from the last P picture's by the rule of thumb
   * that 6 QP halve the bits, aiming at the per-picture budget minus a fifteenth of the bucket,
   * at most 4 QP a picture, within 10..51. IDRs take the current QP, and their extra bits go
   * into the bucket. The bucket is clamped at two seconds of bits either way, so a stretch the
   * encoder cannot meet (JCodec codes every macroblock, no skip, so simple pictures have a floor)
   * does not wind up.
   */
  static final class BitrateControl {
    private static final int FIRST_QP = 26;

    private final long bitrateBps;
    private double bucketBits;
    private int qp = FIRST_QP;
    private long lastPBits = -1;
    private int lastPQp;

    BitrateControl(long bitrateBps) {
      this.bitrateBps = bitrateBps;
    }

    int qpFor(boolean idr, long frameDurationUs) {
      if (idr || lastPBits <= 0) {
        return qp;
      }
      double budget = bitrateBps * (frameDurationUs / 1e6);
      double wanted = Math.max(budget - bucketBits / 15, budget / 8);
      int step = (int) Math.round(6 * Math.log(lastPBits / wanted) / Math.log(2));
      qp = Math.max(10, Math.min(51, lastPQp + Math.max(-4, Math.min(4, step))));
      return qp;
    }

    void frameDone(boolean idr, long bits, int usedQp, long frameDurationUs) {
      double budget = bitrateBps * (frameDurationUs / 1e6);
      double limit = 2.0 * bitrateBps;
      bucketBits = Math.max(-limit, Math.min(limit, bucketBits + bits - budget));
      if (!idr) {
        lastPBits = bits;
        lastPQp = usedQp;
      }
    }
  }
}
