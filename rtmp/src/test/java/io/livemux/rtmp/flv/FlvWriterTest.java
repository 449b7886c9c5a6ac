package io.livemux.rtmp.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.codec.RealParameterSets;
import io.livemux.format.H264Format;
import io.livemux.format.PcmFormat;
import io.livemux.pipeline.TestTracks;
import io.livemux.rtmp.RtmpException;
import io.livemux.sample.Sample;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's rules: what it refuses, format changes, cancel. */
class FlvWriterTest {
  @TempDir Path dir;

  private static Sample video(long dtsMs, long ptsMs, boolean sync, H264Format format) {
    return Sample.builder(format).timescale(1000).decodeTimeTicks(dtsMs).presentationTimeTicks(ptsMs)
        .flags(sync ? Sample.FLAG_SYNC : 0).payload(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 0x65}))
        .build();
  }

  @Test
  void start_refusesASecondVideoTrackAndFormatsFlvCannotCarry() {
    FlvWriter writer = new FlvWriter(dir.resolve("a.flv"), FlvWriterOptions.defaults());
    RtmpException two =
        assertThrows(RtmpException.class, () -> writer.start(TestTracks.of(FlvFiles.H264, FlvFiles.H265)));
    assertTrue(two.getMessage().startsWith("FLV holds one video track; track 1 is a second one"),
        two.getMessage());
    FlvWriter pcm = new FlvWriter(dir.resolve("b.flv"), FlvWriterOptions.defaults());
    RtmpException e =
        assertThrows(RtmpException.class, () -> pcm.start(TestTracks.of(PcmFormat.s16le(48_000, 2))));
    assertTrue(e.getMessage().endsWith("livemux writes H.264, H.265 and AAC tracks"), e.getMessage());
  }

  @Test
  void write_refusesDecodeTimesOutsideTheTimestampRange_namingThem() throws Exception {
    FlvWriter writer = new FlvWriter(dir.resolve("c.flv"), FlvWriterOptions.defaults());
    writer.start(TestTracks.of(FlvFiles.H264));
    RtmpException negative =
        assertThrows(RtmpException.class, () -> writer.write(0, video(-1, 0, true, FlvFiles.H264)));
    assertEquals("FLV: track 0 decode time -1 ms is outside the tag timestamp's range 0..2147483647 ms",
        negative.getMessage());
    RtmpException cts =
        assertThrows(RtmpException.class, () -> writer.write(0, video(0, 1 << 23, true, FlvFiles.H264)));
    assertEquals("FLV video: composition time 8388608 ms (PTS − DTS) does not fit the SI24", cts.getMessage());
    writer.finish();
  }

  @Test
  void formatChange_writesANewSequenceHeader_andTheReaderSwitchesFormat() throws Exception {
    H264Format second =
        H264Format.fromParameterSets(
            List.of(ByteBuffer.wrap(RealParameterSets.X264_BASELINE_SPS)),
            List.of(ByteBuffer.wrap(RealParameterSets.X264_BASELINE_PPS)));
    Path file = dir.resolve("d.flv");
    FlvWriter writer = new FlvWriter(file, FlvWriterOptions.defaults());
    writer.start(TestTracks.of(FlvFiles.H264));
    writer.write(0, video(0, 0, true, FlvFiles.H264));
    writer.formatChanged(0, second);
    writer.write(0, video(40, 40, true, second));
    writer.finish();
    List<Sample> read = FlvFiles.read(Files.readAllBytes(file));
    assertEquals(Arrays.asList(FlvFiles.H264, second), Arrays.asList(read.get(0).format(), read.get(1).format()));
  }

  @Test
  void cancel_leavesEveryWholeTagReadable_andFailsLaterWrites() throws Exception {
    Path file = dir.resolve("e.flv");
    FlvWriter writer = new FlvWriter(file, FlvWriterOptions.defaults());
    writer.start(TestTracks.of(FlvFiles.H264));
    writer.write(0, video(0, 0, true, FlvFiles.H264));
    writer.cancel();
    RtmpException e =
        assertThrows(RtmpException.class, () -> writer.write(0, video(40, 40, false, FlvFiles.H264)));
    assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
    byte[] flv = Files.readAllBytes(file);
    assertEquals(1, FlvFiles.read(flv).size());
    try (FlvReader reader =
        new FlvReader(Channels.newChannel(new ByteArrayInputStream(Arrays.copyOf(flv, flv.length - 4 - 3))),
            FlvLimits.defaults())) {
      assertEquals(null, reader.next()); // the cut tag is dropped, not an error
      // the last tag lost its PreviousTagSize and 3 of its 10 body bytes
      assertEquals(FlvTagEncoder.TAG_HEADER_SIZE + 7, reader.truncatedBytes());
    }
  }

  @Test
  void reader_refusesAFileThatEndsInsideItsHeader() {
    RtmpException e = assertThrows(RtmpException.class, () -> FlvFiles.read(new byte[] {'F', 'L', 'V'}));
    assertEquals("FLV: the file ends after 3 bytes, inside its 9-byte header", e.getMessage());
  }
}
