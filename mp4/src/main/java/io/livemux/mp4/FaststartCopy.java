package io.livemux.mp4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The faststart copy of a finalized recording: ftyp, the moov, then one mdat with every chunk in
 * recording order, so a player can start before it has the whole file (14496-12 leaves the order
 * of top-level boxes free; progressive download wants the moov first). The chunks are copied by
 * the kernel from the finalized file, which is never changed. Stateless; one call per copy.
 */
final class FaststartCopy {
  /** Writes the progressive moov with chunk {@code c} of track {@code t} at {@code offsets[t][c]}. */
  interface MoovWriter {
    void write(BoxBuffer b, long[][] offsets, boolean large) throws Mp4Exception;
  }

  private FaststartCopy() {}

  static void write(Path source, Path target, SampleTable[] tables, MoovWriter moovWriter, boolean fsync)
      throws IOException {
    // Chunks of all tracks in file order, laid out back to back after the new moov.
    List<long[]> chunks = new ArrayList<>(); // {original offset, bytes, track, chunk index}
    long dataBytes = 0;
    for (int i = 0; i < tables.length; i++) {
      for (int c = 0; c < tables[i].chunkCount(); c++) {
        chunks.add(new long[] {tables[i].chunkOffset(c), tables[i].chunkBytes(c), i, c});
        dataBytes += tables[i].chunkBytes(c);
      }
    }
    chunks.sort((x, y) -> Long.compare(x[0], y[0]));
    BoxBuffer ftyp = new BoxBuffer(64);
    Boxes.ftyp(ftyp);
    long[][] offsets = new long[tables.length][];
    for (int i = 0; i < tables.length; i++) {
      offsets[i] = new long[tables[i].chunkCount()];
    }
    // The moov's size depends only on stco vs co64: measure it with the right choice, then place.
    boolean large = dataBytes + (1L << 26) > 0xFFFF_FFFFL;
    BoxBuffer moov = new BoxBuffer(1 << 14);
    moovWriter.write(moov, offsets, large);
    int mdatHeader = dataBytes + 8 > 0xFFFF_FFFFL ? 16 : 8;
    long at = ftyp.position() + moov.position() + mdatHeader;
    for (long[] chunk : chunks) {
      offsets[(int) chunk[2]][(int) chunk[3]] = at;
      at += chunk[1];
    }
    moov.clear();
    moovWriter.write(moov, offsets, large);
    BoxBuffer header = new BoxBuffer(16);
    if (mdatHeader == 16) {
      header.u32(1).fourcc("mdat").u64(dataBytes + 16);
    } else {
      header.u32(dataBytes + 8).fourcc("mdat");
    }
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (ByteBuffer part : new ByteBuffer[] {ftyp.toByteBuffer(), moov.toByteBuffer(), header.toByteBuffer()}) {
        while (part.hasRemaining()) {
          out.write(part);
        }
      }
      for (long[] chunk : chunks) {
        long done = 0;
        while (done < chunk[1]) {
          long n = in.transferTo(chunk[0] + done, chunk[1] - done, out);
          if (n <= 0) {
            throw new Mp4Exception("faststart copy: " + source + " ended inside a chunk at " + (chunk[0] + done));
          }
          done += n;
        }
      }
      if (fsync) {
        out.force(true);
      }
    } catch (Mp4Exception e) {
      throw e;
    } catch (IOException e) {
      throw new Mp4Exception("failed to write the faststart copy " + target + ": " + e.getMessage(), e);
    }
  }
}
