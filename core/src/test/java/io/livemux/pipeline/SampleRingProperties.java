package io.livemux.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.livemux.format.AacFormat;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link SampleRing} against a plain list: random adds (of every kind), removals anywhere, takes
 * and clears, with the ring wrapping around; order, counts, bytes, the queued duration and the
 * eviction candidates must always be the list's.
 */
class SampleRingProperties {
  private static final AacFormat AAC = AacFormat.of(48_000, 2);
  private static final int CAPACITY = 9;

  /** One operation: 0 add, 1 remove at (picked % size), 2 take up to n, 3 clear. */
  static final class Op {
    final int what;
    final int arg;
    final int size;
    final long dtsUs;
    final byte kind;

    Op(int what, int arg, int size, long dtsUs, byte kind) {
      this.what = what;
      this.arg = arg;
      this.size = size;
      this.dtsUs = dtsUs;
      this.kind = kind;
    }

    @Override
    public String toString() {
      return new String[] {"add", "removeAt", "take", "clear"}[what] + "(" + arg + "," + size + "," + dtsUs + "," + kind + ")";
    }
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op = Combinators.combine(
        Arbitraries.frequency(
            net.jqwik.api.Tuple.of(6, 0), net.jqwik.api.Tuple.of(3, 1),
            net.jqwik.api.Tuple.of(2, 2), net.jqwik.api.Tuple.of(1, 3)),
        Arbitraries.integers().between(0, 20),
        Arbitraries.integers().between(0, 5000),
        Arbitraries.longs().between(-1_000_000, 1_000_000),
        Arbitraries.of((byte) 0, SampleRing.EVICTABLE_VIDEO,
            (byte) (SampleRing.EVICTABLE_VIDEO | SampleRing.EVICTABLE_DISPOSABLE)))
        .as(Op::new);
    return op.list().ofMaxSize(200);
  }

  /** What the model keeps per entry. */
  private static final class Entry {
    final int track;
    final Sample sample;
    final long dtsUs;
    final byte kind;

    Entry(int track, Sample sample, long dtsUs, byte kind) {
      this.track = track;
      this.sample = sample;
      this.dtsUs = dtsUs;
      this.kind = kind;
    }
  }

  @Property(tries = 500)
  void ring_behavesAsAnOrderedList(@ForAll("ops") List<Op> ops) {
    SampleRing ring = new SampleRing(CAPACITY);
    List<Entry> model = new ArrayList<>();
    Sample[] batch = new Sample[CAPACITY];
    int[] batchTracks = new int[CAPACITY];
    for (Op op : ops) {
      switch (op.what) {
        case 0:
          if (model.size() < CAPACITY) {
            Sample s = Sample.builder(AAC).presentationTimeTicks(0).payload(ByteBuffer.allocate(op.size)).build();
            ring.add(op.arg, s, op.dtsUs, 0, op.kind);
            model.add(new Entry(op.arg, s, op.dtsUs, op.kind));
          }
          break;
        case 1:
          if (!model.isEmpty()) {
            int i = op.arg % model.size();
            ring.removeAt(i);
            model.remove(i);
          }
          break;
        case 2: {
          int n = ring.take(batch, batchTracks, Math.max(1, op.arg % 5), 0);
          long bytes = 0;
          for (int i = 0; i < n; i++) {
            Entry e = model.remove(0);
            assertSame(e.sample, batch[i], "taken in order: " + ops);
            assertEquals(e.track, batchTracks[i]);
            bytes += e.sample.size();
          }
          assertEquals(bytes, ring.lastTakenBytes());
          break;
        }
        default:
          assertEquals(model.size(), ring.clear());
          model.clear();
      }
      check(ring, model, ops);
    }
  }

  private static void check(SampleRing ring, List<Entry> model, List<Op> ops) {
    assertEquals(model.size(), ring.count(), ops.toString());
    long bytes = 0;
    long newest = Long.MIN_VALUE;
    int oldestDisposable = -1;
    int newestVideo = -1;
    for (int i = 0; i < model.size(); i++) {
      Entry e = model.get(i);
      assertEquals(e.track, ring.track(i), "track of entry " + i + ": " + ops);
      bytes += e.sample.size();
      newest = Math.max(newest, e.dtsUs);
      if (oldestDisposable < 0 && (e.kind & SampleRing.EVICTABLE_DISPOSABLE) != 0) {
        oldestDisposable = i;
      }
      if ((e.kind & SampleRing.EVICTABLE_VIDEO) != 0) {
        newestVideo = i;
      }
    }
    assertEquals(bytes, ring.queuedBytes(), ops.toString());
    long duration = model.isEmpty() ? 0 : Math.max(0, newest - model.get(0).dtsUs);
    assertEquals(duration, ring.queuedDurationUs(), ops.toString());
    assertEquals(oldestDisposable, ring.oldestDisposableVideo(), ops.toString());
    assertEquals(newestVideo, ring.newestVideo(), ops.toString());
  }
}
