package io.livemux.rtmp.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.rtmp.Rejects;
import io.livemux.sample.Sample;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link FlvReader#mapped}: the same samples and the same truncation as the channel reader, whether
 * tags lie whole in one mapping (zero-copy views) or straddle two (copied); and random or mutated
 * files end or fail with an RtmpException, as with the channel reader.
 */
class FlvMappedReaderProperties {
  private final FlvProperties flv = new FlvProperties();

  @Property(tries = 100)
  void mappedReader_givesTheSameSamplesAndTruncation_asTheChannelReader_whateverTheWindow(
      @ForAll("streams") FlvProperties.Stream stream,
      @ForAll @IntRange(min = 16, max = 400) int window,
      @ForAll @IntRange(min = 0, max = 1_000_000) int cutSeed) throws IOException {
    byte[] whole = FlvFiles.write(stream.tracks, stream.samples, FlvWriterOptions.defaults());
    // Half the files are cut somewhere, as by a crash mid-tag.
    byte[] file = cutSeed % 2 == 0 ? whole : Arrays.copyOf(whole, 9 + cutSeed % (whole.length - 9 + 1));
    Read expected = readChannel(file);
    Read actual = readMapped(file, window);
    assertEquals(expected.samples.size(), actual.samples.size(), "sample count");
    for (int i = 0; i < expected.samples.size(); i++) {
      Sample e = expected.samples.get(i);
      Sample a = actual.samples.get(i);
      String where = "sample " + i + ": " + e + " vs " + a;
      assertEquals(e.format(), a.format(), where);
      assertEquals(e.timescale(), a.timescale(), where);
      assertEquals(e.decodeTimeTicks(), a.decodeTimeTicks(), where);
      assertEquals(e.presentationTimeTicks(), a.presentationTimeTicks(), where);
      assertEquals(e.flags(), a.flags(), where);
      assertArrayEquals(FlvFiles.payload(e), FlvFiles.payload(a), where);
      assertTrue(a.payload().isReadOnly(), where);
    }
    assertEquals(expected.truncatedBytes, actual.truncatedBytes, "truncated bytes");
    assertEquals(expected.offset, actual.offset, "bytes consumed");
    Statistics.label("tags straddle a mapping").collect(file.length > window);
  }

  @Property(tries = 300)
  void mappedReader_onMutatedFiles_endsOrFailsWithRtmpException(
      @ForAll("mutatedFiles") byte[] data, @ForAll @IntRange(min = 16, max = 200) int window) {
    Rejects.decodesOrRejects(() -> readMapped(data, window).samples);
  }

  @Property(tries = 200)
  void mappedReader_onRandomBytesAfterAHeader_endsOrFailsWithRtmpException(
      @ForAll("bytesAfterHeader") byte[] data, @ForAll @IntRange(min = 16, max = 200) int window) {
    Rejects.decodesOrRejects(() -> readMapped(data, window).samples);
  }

  @Provide
  Arbitrary<FlvProperties.Stream> streams() {
    return flv.streams();
  }

  @Provide
  Arbitrary<byte[]> mutatedFiles() {
    return flv.mutatedFiles();
  }

  @Provide
  Arbitrary<byte[]> bytesAfterHeader() {
    return flv.bytesAfterHeader();
  }

  /** What a reader yielded: its samples, the truncated tail and the bytes it consumed. */
  private static final class Read {
    final List<Sample> samples = new ArrayList<>();
    long truncatedBytes;
    long offset;
  }

  private static Read readChannel(byte[] file) throws IOException {
    try (FlvReader reader =
        new FlvReader(Channels.newChannel(new ByteArrayInputStream(file)), FlvLimits.defaults())) {
      return drain(reader);
    }
  }

  private static Read readMapped(byte[] file, int window) throws IOException {
    Path path = Files.createTempFile("livemux-mapped-", ".flv");
    try {
      Files.write(path, file);
      try (FlvReader reader =
          FlvReader.mapped(FileChannel.open(path, StandardOpenOption.READ), FlvLimits.defaults(), window)) {
        return drain(reader);
      }
    } finally {
      Files.deleteIfExists(path);
    }
  }

  private static Read drain(FlvReader reader) throws IOException {
    Read read = new Read();
    for (Sample s = reader.next(); s != null; s = reader.next()) {
      read.samples.add(s);
    }
    read.truncatedBytes = reader.truncatedBytes();
    read.offset = reader.offset();
    return read;
  }
}
