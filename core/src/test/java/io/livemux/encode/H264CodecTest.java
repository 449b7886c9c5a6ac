package io.livemux.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livemux.sample.Sample;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.codecs.h264.encode.RateControl;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rect;
import org.jcodec.common.model.Size;
import org.junit.jupiter.api.Test;

/**
 * What {@link H264Codec} adds to JCodec: at a constant QP it must write exactly the slices that
 * JCodec's own encoder writes for the same picture filled in the plainest way (sample minus 128,
 * edge pixels repeated into the macroblock padding). Any addressing mistake in our plane copy
 * (strides, chroma offsets, (w/2)x(h/2) chroma size, padding of a cropped size) changes the bytes.
 * This is also the evidence that the chroma loss at large sizes is JCodec's, not ours: see {@link
 * H264Codec}'s class comment.
 */
class H264CodecTest {
  private static final int QP = 24;

  @Test
  void constantQp_writesTheSlicesOfBareJCodec_forACroppedPicture() throws Exception {
    // 200x122: 13x8 macroblocks, 8 columns and 6 rows of padding; I P P P.
    assertSameSlicesAsBareJCodec(200, 122, 4);
  }

  @Test
  void constantQp_writesTheSlicesOfBareJCodec_forWholeMacroblocks() throws Exception {
    assertSameSlicesAsBareJCodec(320, 240, 3);
  }

  private static void assertSameSlicesAsBareJCodec(int width, int height, int frames)
      throws Exception {
    VideoEncoderSettings settings = VideoEncoderSettings.builder(width, height).constantQp(QP).build();
    H264Codec ours = new H264Codec(settings, H264Codec.format(settings));
    H264Encoder bare = new H264Encoder(new ConstantQp());
    int paddedWidth = (width + 15) & ~15;
    int paddedHeight = (height + 15) & ~15;
    Picture picture =
        Picture.createCropped(paddedWidth, paddedHeight, ColorSpace.YUV420J,
            new Rect(0, 0, width, height));
    ByteBuffer out = ByteBuffer.allocate(paddedWidth * paddedHeight * 2);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      boolean idr = i == 0;
      byte[] i420 = TestPictures.i420(width, height, i);
      ours.encode(RawFrame.of(TestPictures.sample(width, height, i, i * 3000L, 90_000)), idr,
          samples);

      int chroma = (width / 2) * (height / 2);
      fill(i420, 0, width, height, picture.getPlaneData(0), paddedWidth, paddedHeight);
      fill(i420, width * height, width / 2, height / 2, picture.getPlaneData(1), paddedWidth / 2,
          paddedHeight / 2);
      fill(i420, width * height + chroma, width / 2, height / 2, picture.getPlaneData(2),
          paddedWidth / 2, paddedHeight / 2);
      ((java.nio.Buffer) out).clear();
      ByteBuffer annexB =
          bare.doEncodeFrame(picture, out, idr, i, idr ? SliceType.I : SliceType.P);

      assertArrayEquals(slicesLengthPrefixed(annexB), VideoEncoderPeerTest.bytes(samples.get(i)),
          "slices of frame " + i + " at " + width + "x" + height);
    }
    assertEquals(frames, samples.size());
  }

  /** Plane samples minus 128, the last column and row repeated over the padding. */
  private static void fill(byte[] src, int offset, int width, int height, byte[] dst, int stride,
      int paddedHeight) {
    for (int y = 0; y < paddedHeight; y++) {
      for (int x = 0; x < stride; x++) {
        int s = src[offset + Math.min(y, height - 1) * width + Math.min(x, width - 1)] & 0xFF;
        dst[y * stride + x] = (byte) (s - 128);
      }
    }
  }

  /** The slice NAL units (types 1 and 5) of JCodec's Annex B output, each behind a 4-byte length. */
  private static byte[] slicesLengthPrefixed(ByteBuffer annexB) {
    byte[] b = new byte[annexB.remaining()];
    annexB.get(b);
    List<Integer> starts = new ArrayList<>(); // JCodec writes 00 00 00 01 before every NAL unit
    for (int i = 0; i + 3 < b.length; i++) {
      if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 0 && b[i + 3] == 1) {
        starts.add(i + 4);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int n = 0; n < starts.size(); n++) {
      int from = starts.get(n);
      int to = n + 1 < starts.size() ? starts.get(n + 1) - 4 : b.length;
      int type = b[from] & 0x1F;
      if (type == 1 || type == 5) {
        int length = to - from;
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(b, from, length);
      }
    }
    return out.toByteArray();
  }

  /** One QP for every macroblock, never raised. */
  private static final class ConstantQp implements RateControl {
    @Override
    public int startPicture(Size size, int maxSize, SliceType sliceType) {
      return QP;
    }

    @Override
    public int initialQpDelta() {
      return 0;
    }

    @Override
    public int accept(int bits) {
      return 0;
    }
  }
}
