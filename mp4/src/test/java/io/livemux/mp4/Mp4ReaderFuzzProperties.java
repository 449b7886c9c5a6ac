package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Whatever the bytes, Mp4Reader ends with an Mp4Exception or normally, within 2 s and in memory
 * bounded by the file's length: random bytes, random box trees, real files mutated where it hurts
 * (sizes, counts, versions, offsets), and a real recording truncated at every byte.
 */
class Mp4ReaderFuzzProperties {
  private static final Duration TIME_BOUND = Duration.ofSeconds(2);

  /** The box types the reader looks into, and some it must skip. */
  private static final String[] TYPES = {
    "ftyp", "free", "mdat", "moov", "mvhd", "trak", "tkhd", "edts", "elst", "mdia", "mdhd", "hdlr",
    "minf", "vmhd", "smhd", "dinf", "stbl", "stsd", "avc1", "avcC", "hvc1", "hvcC", "mp4a", "esds",
    "stts", "ctts", "stss", "stsc", "stsz", "stco", "co64", "mvex", "trex", "moof", "mfhd", "traf",
    "tfhd", "tfdt", "trun", "mfra"
  };
  private static final String[] CONTAINERS = {"moov", "trak", "edts", "mdia", "minf", "stbl", "mvex", "moof", "traf"};
  private static final long[] EXTREMES = {
    0, 1, 7, 8, 9, 16, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0xFFFF_FFF8L, 0x0100_0000L, 1 << 20
  };

  private static Path file(byte[] bytes) throws IOException {
    Path f = Files.createTempFile(SmallRecordings.DIR, "fuzz-", ".mp4");
    Files.write(f, bytes);
    return f;
  }

  /** Opens and reads everything; only Mp4Exception may end it early. Returns the samples read. */
  static long readAll(Path file) throws Exception {
    long samples = readAllInBounds(file);
    Statistics.label("outcome").collect(samples < 0 ? "Mp4Exception" : samples == 0 ? "no samples" : "samples read");
    return samples;
  }

  /** Only Mp4Exception (-1) or the sample count; in bounded time and memory. */
  private static long readAllInBounds(Path file) throws Exception {
    long length = Files.size(file);
    return assertTimeoutPreemptively(TIME_BOUND, () -> {
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long id = Thread.currentThread().getId();
      long before = threads.getThreadAllocatedBytes(id);
      long samples = 0;
      try (Mp4Reader reader = Mp4Reader.open(file)) {
        for (int t = 0; t < reader.trackCount(); t++) {
          reader.format(t);
          reader.timescale(t);
        }
        while (reader.advance()) {
          reader.sample().payload();
          samples++;
        }
      } catch (Mp4Exception expected) {
        samples = -1;
      }
      long allocated = threads.getThreadAllocatedBytes(id) - before;
      // the index is some 30 bytes a sample, and ReadBudget allows one sample per 8 bytes of file
      assertTrue(allocated <= 32 * length + (8 << 20),
          "allocated " + allocated + " bytes reading a " + length + "-byte file");
      return samples;
    }, "reading took longer than " + TIME_BOUND);
  }

  @Property(tries = 200)
  void randomBytes_endInMp4ExceptionOrNormally(@ForAll @Size(max = 4096) byte[] bytes) throws Exception {
    Path f = file(bytes);
    try {
      readAll(f);
    } finally {
      Files.delete(f);
    }
  }

  @Property(tries = 300)
  void randomBoxTrees_endInMp4ExceptionOrNormally(@ForAll long seed) throws Exception {
    Random random = new Random(seed);
    ByteBuffer out = ByteBuffer.allocate(1 << 16);
    writeBoxes(random, out, 0);
    Path f = file(Arrays.copyOf(out.array(), out.position()));
    try {
      readAll(f);
    } finally {
      Files.delete(f);
    }
  }

  /** Writes a few boxes of known types, nested up to depth 4, with sizes usually right. */
  private static void writeBoxes(Random random, ByteBuffer out, int depth) {
    int n = 1 + random.nextInt(depth == 0 ? 6 : 4);
    for (int i = 0; i < n && out.remaining() > 4096; i++) {
      boolean container = depth < 4 && random.nextInt(3) > 0;
      String type = container ? CONTAINERS[random.nextInt(CONTAINERS.length)] : TYPES[random.nextInt(TYPES.length)];
      int start = out.position();
      out.putInt(0).put(type.getBytes(StandardCharsets.ISO_8859_1));
      if (container) {
        writeBoxes(random, out, depth + 1);
      } else {
        out.put((byte) random.nextInt(2)).put(new byte[3]); // version, flags
        int fields = random.nextInt(24);
        for (int k = 0; k < fields; k++) {
          out.putInt(random.nextInt(4) == 0 ? (int) EXTREMES[random.nextInt(EXTREMES.length)] : random.nextInt(64));
        }
      }
      int size = out.position() - start;
      out.putInt(start, random.nextInt(10) == 0 ? (int) EXTREMES[random.nextInt(EXTREMES.length)] : size);
    }
  }

  @Property(tries = 1000)
  void mutatedRealFiles_endInMp4ExceptionOrNormally(
      @ForAll @IntRange(min = 0, max = 3) int which, @ForAll long seed) throws Exception {
    Path f = file(mutated(Files.readAllBytes(SmallRecordings.all().get(which)), new Random(seed)));
    try {
      readAll(f);
    } finally {
      Files.delete(f);
    }
  }

  /** Recovery of a mutated file ends with an Mp4Exception or a finalized file, in bounded time. */
  @Property(tries = 150)
  void mutatedFiles_recoverOrEndInMp4Exception(
      @ForAll @IntRange(min = 0, max = 3) int which, @ForAll long seed) throws Exception {
    Path f = file(mutated(Files.readAllBytes(SmallRecordings.all().get(which)), new Random(seed)));
    Path out = Files.createTempFile(SmallRecordings.DIR, "fuzz-recovered-", ".mp4");
    try {
      String outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
        try {
          Mp4Result result = Mp4Recovery.recover(f, out);
          assertTrue(result.isFinalized(), result.toString());
          return "recovered";
        } catch (Mp4Exception e) {
          return "Mp4Exception";
        }
      });
      Statistics.label("outcome").collect(outcome);
    } finally {
      Files.delete(f);
      Files.deleteIfExists(out);
    }
  }

  /** {@code bytes} with one to six mutations where they hurt: sizes, counts, versions, offsets. */
  private static byte[] mutated(byte[] bytes, Random random) {
    int[] typeOffsets = typeOffsets(bytes);
    int mutations = 1 + random.nextInt(6);
    for (int m = 0; m < mutations && bytes.length > 16; m++) {
      int at = random.nextInt(bytes.length - 8);
      int box = typeOffsets[random.nextInt(typeOffsets.length)];
      long value = random.nextBoolean() ? EXTREMES[random.nextInt(EXTREMES.length)] : random.nextInt();
      switch (random.nextInt(7)) {
        case 6: { // a trun whose samples have no fields of their own: the count alone says how many
          int trun = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("trun", random.nextInt(bytes.length));
          if (trun > 0) {
            putInt(bytes, trun + 4, 0x0000_0001); // version 0, data-offset only
            putInt(bytes, trun + 8, random.nextBoolean() ? value : 0x00FF_FFFF); // sample_count
          }
          break;
        }
        case 0:
          bytes[at] = (byte) random.nextInt();
          break;
        case 1:
          putInt(bytes, at, value);
          break;
        case 2: // a box's size
          putInt(bytes, box - 4, value);
          break;
        case 3: // a field after a box's type: version/flags, counts, first entries
          putInt(bytes, box + 4 + 4 * random.nextInt(4), value);
          break;
        case 4:
          bytes = Arrays.copyOf(bytes, at);
          typeOffsets = typeOffsets(bytes);
          break;
        default: // a block of the file copied over another place
          int from = random.nextInt(bytes.length);
          int length = Math.min(random.nextInt(256), Math.min(bytes.length - from, bytes.length - at));
          System.arraycopy(bytes, from, bytes, at, length);
      }
    }
    return bytes;
  }

  private static void putInt(byte[] bytes, int at, long value) {
    if (at >= 0 && at + 4 <= bytes.length) {
      ByteBuffer.wrap(bytes).putInt(at, (int) value);
    }
  }

  /** Offsets of every known box type in {@code bytes} (wherever it appears, even by chance). */
  private static int[] typeOffsets(byte[] bytes) {
    List<Integer> offsets = new ArrayList<>();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    for (String type : TYPES) {
      for (int i = text.indexOf(type, 4); i >= 0; i = text.indexOf(type, i + 1)) {
        offsets.add(i);
      }
    }
    if (offsets.isEmpty()) {
      offsets.add(4);
    }
    return offsets.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Our fragmented recording truncated at every byte: refused while its header is incomplete, then
   * read with exactly the fragments (by mp4parser) that are complete below the cut.
   */
  @Test
  void recordingTruncatedAtEveryByte_readsExactlyItsCompleteFragments() throws Exception {
    Path full = SmallRecordings.FRAGMENTED;
    List<long[]> fragments = Fragments.of(full);
    long headerEnd = fragments.get(0)[0];
    Path f = Files.createTempFile(SmallRecordings.DIR, "truncated-", ".mp4");
    try {
      Files.copy(full, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
        for (long length = Files.size(full); length >= 0; length--) {
          ch.truncate(length);
          if (length < headerEnd) {
            assertThrows(Mp4Exception.class, () -> Mp4Reader.open(f), "cut at " + length);
            continue;
          }
          int complete = 0;
          long samples = 0;
          for (long[] fragment : fragments) {
            if (fragment[2] <= length) {
              complete++;
              samples += fragment[3] + fragment[4];
            }
          }
          try (Mp4Reader reader = Mp4Reader.open(f)) {
            assertEquals(complete, reader.fragmentCount(), "cut at " + length);
            assertEquals(samples, (long) reader.sampleCount(0) + reader.sampleCount(1), "cut at " + length);
          }
        }
      }
    } finally {
      Files.delete(f);
    }
  }
}
