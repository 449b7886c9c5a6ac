package io.livemux.rtmp.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.bitstream.NalUnits;
import io.livemux.codec.EncodedStreams;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.rtmp.flv.FlvFiles.Written;
import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H.265 in enhanced RTMP FLV with real x265 frames. ffmpeg 5.1 (Debian 12) cannot demux enhanced
 * RTMP FLV (it reads the IsExHeader byte as a legacy CodecID), so the check is: our writer, our
 * reader, then ffmpeg decodes the Annex B stream rebuilt from what we read (parameter sets from the
 * FLV's hvcC, frames from its coded-frame packets) to the same pictures as x265's own stream.
 */
class FlvHevcTest {
  @TempDir Path dir;

  @Test
  void x265Frames_throughOurFlv_decodeToTheSamePictures() throws Exception {
    Path source = dir.resolve("source.hevc");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-frames:v", "12", "-c:v", "libx265", "-x265-params", "log-level=error", "-f", "hevc",
        source.toString());
    byte[] annexB = Files.readAllBytes(source);
    H265Format format = H265Format.fromAnnexB(ByteBuffer.wrap(annexB));

    List<Written> samples = new ArrayList<>();
    List<List<byte[]>> units = accessUnits(EncodedStreams.nalUnits(annexB));
    for (int i = 0; i < units.size(); i++) {
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      boolean irap = false;
      for (byte[] nal : units.get(i)) {
        int type = NalUnits.h265NalType(nal[0]);
        irap |= type >= 16 && type <= 23;
        payload.write(ByteBuffer.allocate(4).putInt(nal.length).array());
        payload.write(nal);
      }
      long dts = 40L * i;
      long pts = dts + (i % 2 == 1 ? 80 : 0); // both CodedFrames and CodedFramesX
      samples.add(new Written(0, Sample.builder(format).timescale(1000).decodeTimeTicks(dts)
          .presentationTimeTicks(pts).flags(irap ? Sample.FLAG_SYNC : 0)
          .payload(ByteBuffer.wrap(payload.toByteArray())).build()));
    }
    byte[] flv = FlvFiles.write(List.<MediaFormat>of(format), samples, FlvWriterOptions.defaults());
    List<Sample> read = FlvFiles.read(flv);

    assertEquals(samples.size(), read.size());
    ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
    H265Format readFormat = (H265Format) read.get(0).format();
    assertEquals(format, readFormat);
    for (List<ByteBuffer> sets : List.of(readFormat.vps(), readFormat.sps(), readFormat.pps())) {
      for (ByteBuffer nal : sets) {
        rebuilt.write(new byte[] {0, 0, 0, 1});
        rebuilt.write(FlvFiles.bytes(nal));
      }
    }
    for (int i = 0; i < read.size(); i++) {
      Sample in = samples.get(i).sample;
      Sample out = read.get(i);
      assertEquals(in.decodeTimeTicks(), out.decodeTimeTicks());
      assertEquals(in.presentationTimeTicks(), out.presentationTimeTicks());
      assertEquals(in.isSync(), out.isSync());
      rebuilt.write(
          FlvFiles.bytes(NalUnits.lengthPrefixedToAnnexB(out.payload(), readFormat.nalLengthSize())));
    }
    assertTrue(read.get(0).isSync());
    Path ours = dir.resolve("ours.hevc");
    Files.write(ours, rebuilt.toByteArray());
    assertEquals(frames(source), frames(ours));
  }

  /** Splits NAL units into access units (H.265 7.4.2.4.4): a new one at a parameter set, AUD or
   * prefix SEI after a picture, or at a picture's first slice segment. */
  private static List<List<byte[]>> accessUnits(List<byte[]> nals) {
    List<List<byte[]>> units = new ArrayList<>();
    List<byte[]> current = new ArrayList<>();
    boolean hasPicture = false;
    for (byte[] nal : nals) {
      int type = NalUnits.h265NalType(nal[0]);
      boolean vcl = type <= 31;
      boolean firstSlice = vcl && (nal[2] & 0x80) != 0;
      boolean starter = (type >= 32 && type <= 35) || type == 39 || firstSlice;
      if (starter && hasPicture) {
        units.add(current);
        current = new ArrayList<>();
        hasPicture = false;
      }
      current.add(nal);
      hasPicture |= vcl;
    }
    if (!current.isEmpty()) {
      units.add(current);
    }
    return units;
  }

  private static List<String> frames(Path hevc) throws Exception {
    Peers.Result r = Peers.ffmpeg("-f", "hevc", "-i", hevc.toString(), "-f", "framemd5", "-");
    List<String> out = new ArrayList<>();
    for (String line : r.stdout.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        String[] f = line.split(",");
        out.add(f[4].trim() + " " + f[5].trim());
      }
    }
    assertTrue(out.size() >= 10, "frames decoded: " + out.size());
    return out;
  }
}
