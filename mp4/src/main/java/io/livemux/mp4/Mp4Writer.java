package io.livemux.mp4;

import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.format.PcmFormat;
import io.livemux.format.VideoFormat;
import io.livemux.pipeline.SampleSink;
import io.livemux.pipeline.TrackInfo;
import io.livemux.sample.Sample;
import io.livemux.time.MediaTime;
import java.io.IOException;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a fragmented MP4 that is a valid file after every fragment, and finalizes it in place.
 *
 * <p>Layout while recording: {@code ftyp}, a 16-byte placeholder, {@code moov} (with {@code
 * mvex}), then {@code moof + mdat} fragments. Each fragment is written with its {@code moof} typed
 * {@code free}, and only once all of it is on disk is that type changed to {@code moof}: a process
 * killed mid-write leaves a trailing box that every reader skips, never a fragment pointing at bytes
 * that are not there. When finalized, a full {@code moov} with sample tables is appended and the
 * placeholder becomes a 64-bit {@code mdat} header spanning the fragments, which makes the file an
 * ordinary MP4 (the hybrid layout of OBS and ffmpeg's {@code hybrid_fragmented}).
 *
 * <p>H.264 and H.265 samples are length-prefixed NAL units, as their format's decoder
 * configuration says; AAC samples are raw access units; PCM samples are blocks of s16le frames,
 * written with QuickTime's 'sowt' sample entry (ffmpeg and Chromium play it in finished files). Sample payloads are copied into the
 * fragment being built, so the producer's buffers are free once {@link #write} returns; memory is
 * one fragment per track. With {@link Mp4Options#withPayloadCopy} false they are not copied but
 * held (read-only views) until their fragment is written, and written from there.
 *
 * <p>Usually a {@link Mp4Recorder}'s pipeline drives it; a caller that has every sample at hand (a
 * file-to-file remux) may drive it directly on its own thread: {@link #start} with {@link
 * io.livemux.pipeline.TrackInfo#of}, {@link #write} in decode order per track, {@link
 * #formatChanged} before a sample of a new format, {@link #finish}.
 *
 * <p>Once {@code write}, {@code formatChanged} or {@code finish} has thrown, the writer is failed:
 * its file is closed and keeps every fragment published before.
 *
 * <p><b>Threads.</b> A {@link SampleSink}: {@code start}, {@code write}, {@code formatChanged},
 * {@code finish} and then {@link #writeFaststartCopy} come from one thread; {@link #cancel()} and
 * {@link #result()} from any.
 */
public final class Mp4Writer implements SampleSink {
  private static final int MOOF_TYPE_OFFSET = 4;

  private final Path path;
  private final Mp4Options options;
  private final BoxBuffer box = new BoxBuffer(1 << 14);
  private static final byte[] MOOF = {'m', 'o', 'o', 'f'};
  // Per-fragment scratch, sized at start: writing a fragment allocates nothing per sample.
  private int[] fragmentCounts;
  private int[] fragmentBytes;
  private int[] dataOffsetAt;
  private ByteBuffer[] parts;

  private final FileOutput.Opener opener;
  private volatile FileOutput output;
  private TrackState[] tracks;
  private int pacingTrack;
  private boolean headerWritten;
  private long placeholderOffset;
  private long fileEnd;
  private long fragments;
  private long rejected;
  /** Samples given to write() and kept (not rejected), published or not. */
  private long received;
  private MediaTime origin;
  private volatile boolean cancelled;
  private volatile Mp4Result result;

  /** A writer of {@code path} (created or truncated when the pipeline starts the sink). */
  public Mp4Writer(Path path, Mp4Options options) {
    this(path, options, FileOutput::openFile);
  }

  /** For tests: the output comes from {@code opener} (a stalling disk, say). */
  Mp4Writer(Path path, Mp4Options options, FileOutput.Opener opener) {
    if (path == null || options == null) {
      throw new NullPointerException(path == null ? "path" : "options");
    }
    this.path = path;
    this.options = options;
    this.opener = opener;
    this.result = emptyResult();
  }

  /** Throws if livemux cannot record {@code format} in an MP4 track. */
  public static void checkSupported(MediaFormat format) throws Mp4Exception {
    if (!(format instanceof H264Format || format instanceof H265Format || format instanceof AacFormat
        || format instanceof PcmFormat)) {
      throw new Mp4Exception(
          "cannot record " + format + " in MP4: livemux records H.264, H.265, AAC and PCM (s16le) tracks");
    }
  }

  @Override
  public void start(List<TrackInfo> infos) throws IOException {
    tracks = new TrackState[infos.size()];
    pacingTrack = -1;
    for (TrackInfo info : infos) {
      checkSupported(info.format());
      tracks[info.index()] =
          new TrackState(info.index() + 1, info.format(), options.payloadCopy(), options.writeBehind());
      if (pacingTrack < 0 && info.format() instanceof VideoFormat) {
        pacingTrack = info.index();
      }
    }
    if (pacingTrack < 0) {
      pacingTrack = 0;
    }
    fragmentCounts = new int[tracks.length];
    fragmentBytes = new int[tracks.length];
    dataOffsetAt = new int[tracks.length];
    parts = new ByteBuffer[tracks.length + 1];
    try {
      output = opener.open(path);
      if (options.writeBehind()) {
        output = new WriteBehindOutput(output, "livemux-mp4-write " + path.getFileName());
      }
      if (cancelled) {
        closeQuietly();
      }
    } catch (IOException e) {
      throw new Mp4Exception("cannot open " + path + " for writing: " + e, e);
    }
    publishResult(false);
  }

  @Override
  public void formatChanged(int track, MediaFormat newFormat) throws IOException {
    // One sample description per track for now: a second stsd entry needs a new init segment for
    // fragmented readers, so a change of parameters is refused clearly rather than written wrong.
    if (!newFormat.equals(tracks[track].format)) {
      closeQuietly(); // a failed writer holds no file (nor a write-behind thread)
      throw new Mp4Exception(
          "track " + tracks[track].id + " changed format mid-recording from " + tracks[track].format
              + " to " + newFormat + "; start a new recording for the new parameters");
    }
  }

  @Override
  public void write(int trackIndex, Sample sample) throws IOException {
    try {
      writeSample(trackIndex, sample);
    } catch (IOException | RuntimeException e) {
      closeQuietly(); // a failed writer holds no file (nor a write-behind thread)
      throw e;
    }
  }

  private void writeSample(int trackIndex, Sample sample) throws IOException {
    if (cancelled) {
      throw new Mp4Exception("recording of " + path + " was cancelled");
    }
    TrackState t = tracks[trackIndex];
    MediaTime startTime = options.startTime();
    if ((startTime != null || headerWritten)
        && MediaTime.compare(
                sample.decodeTimeTicks(), sample.timescale(),
                (startTime != null ? startTime : origin).ticks(),
                (startTime != null ? startTime : origin).timescale())
            < 0) {
      rejected++; // timed before the recording's start
      return;
    }
    long dts = toTrackTicks(sample.decodeTimeTicks(), sample.timescale(), t.timescale);
    long pts = toTrackTicks(sample.presentationTimeTicks(), sample.timescale(), t.timescale);
    if (t.tailUnresolved) {
      resolveTail(t, dts - t.tailDecodeTicks);
    }
    if (trackIndex == pacingTrack && shouldCut(t, dts, sample.isSync())) {
      writeFragment();
    }
    long cts = pts - dts;
    if (cts != (int) cts) {
      throw new Mp4Exception("track " + t.id + ": composition offset out of range: " + cts);
    }
    int flags =
        sample.isSync()
            ? Boxes.FLAGS_SYNC
            : Boxes.FLAGS_NON_SYNC | (sample.isDisposable() ? Boxes.FLAGS_DISPOSABLE : 0);
    t.run.add(dts, (int) cts, flags, sample);
    received++;
    t.tailUnresolved = true;
    t.tailDecodeTicks = dts;
    t.tailDeclaredDuration =
        sample.hasDuration()
            ? toTrackTicks(sample.durationTicks(), sample.timescale(), t.timescale)
            : -1;
    if (!t.anySample) {
      t.anySample = true;
      t.firstDecodeTicks = dts;
    }
    t.minPresentationTicks = Math.min(t.minPresentationTicks, pts);
  }

  private static long toTrackTicks(long ticks, int from, int to) {
    return MediaTime.rescaleTicks(ticks, from, to, RoundingMode.HALF_UP);
  }

  private void resolveTail(TrackState t, long durationTicks) throws Mp4Exception {
    if (durationTicks < 0 || durationTicks > Integer.MAX_VALUE) {
      throw new Mp4Exception(
          "track " + t.id + ": sample duration out of range: " + durationTicks + " ticks at "
              + t.timescale + " Hz");
    }
    t.run.setLastDuration((int) durationTicks);
    t.lastDuration = (int) durationTicks;
    t.tailUnresolved = false;
  }

  /**
   * The pacing track's new sample at {@code dts} starts a new fragment when the fragment has reached
   * its target at a keyframe (audio: at any sample), or twice its target whatever the sample.
   */
  private boolean shouldCut(TrackState t, long dts, boolean sync) {
    int resolved = t.run.count - (t.tailUnresolved ? 1 : 0);
    if (resolved <= 0) {
      return false;
    }
    long target = MediaTime.rescaleTicks(options.fragmentDurationUs(), 1_000_000, t.timescale, RoundingMode.HALF_UP);
    long elapsed = dts - t.run.firstDecodeTime();
    boolean video = t.format instanceof VideoFormat;
    return elapsed >= 2 * target || (elapsed >= target && (sync || !video));
  }

  private void writeHeader() throws IOException {
    origin = options.startTime();
    for (TrackState t : tracks) {
      if (t.run.count == 0) {
        continue;
      }
      MediaTime first = MediaTime.of(t.run.firstDecodeTime(), t.timescale);
      if (options.startTime() == null && (origin == null || first.compareTo(origin) < 0)) {
        origin = first;
      }
    }
    if (origin == null) {
      origin = MediaTime.zero(1);
    }
    for (TrackState t : tracks) {
      t.originTicks = MediaTime.rescaleTicks(origin.ticks(), origin.timescale(), t.timescale, RoundingMode.FLOOR);
    }
    box.clear();
    Boxes.ftyp(box);
    placeholderOffset = box.position();
    Boxes.placeholder(box);
    MovieBoxes.fragmentedMoov(box, tracks);
    ByteBuffer header = box.toByteBuffer();
    writeFully(header, 0, "the header");
    fileEnd = header.capacity();
    headerWritten = true;
  }

  /** Writes every resolved sample of every track as one fragment, then publishes it. */
  private void writeFragment() throws IOException {
    if (!headerWritten) {
      writeHeader();
    }
    box.clear();
    int moof = box.start("moof");
    Boxes.mfhd(box, fragments + 1);
    int[] counts = fragmentCounts;
    int[] bytes = fragmentBytes;
    long mdatPayload = 0;
    for (int i = 0; i < tracks.length; i++) {
      TrackState t = tracks[i];
      counts[i] = t.run.count - (t.tailUnresolved ? 1 : 0);
      bytes[i] = 0;
      if (counts[i] <= 0) {
        counts[i] = 0;
        continue;
      }
      for (int s = 0; s < counts[i]; s++) {
        bytes[i] += t.run.sizes[s];
      }
      mdatPayload += bytes[i];
      int traf = box.start("traf");
      Boxes.tfhd(box, t.id);
      Boxes.tfdt(box, t.run.firstDecodeTime() - t.originTicks);
      dataOffsetAt[i] = Boxes.trun(box, t.run, counts[i]);
      box.end(traf);
    }
    box.end(moof);
    int moofSize = box.position();
    boolean largeMdat = mdatPayload + 8 > 0xFFFF_FFFFL;
    int mdatHeader = largeMdat ? 16 : 8;
    if (largeMdat) {
      box.u32(1).fourcc("mdat").u64(mdatPayload + 16);
    } else {
      box.u32(mdatPayload + 8).fourcc("mdat");
    }
    long dataOffset = moofSize + mdatHeader;
    for (int i = 0; i < tracks.length; i++) {
      if (counts[i] > 0) {
        box.patchU32(dataOffsetAt[i], dataOffset);
        dataOffset += bytes[i];
      }
    }
    // Written as 'free' and published as 'moof' only once complete (see the class comment).
    box.patchFourcc(MOOF_TYPE_OFFSET, "free");
    // Behind a write-behind output the box buffer is reused before this moof is written: a copy.
    ByteBuffer moofBytes = options.writeBehind() ? ByteBuffer.wrap(box.toByteArray()) : box.toByteBuffer();
    int partCount = 1;
    for (int i = 0; i < tracks.length; i++) {
      if (counts[i] > 0) {
        partCount += tracks[i].run.partCount(counts[i]);
      }
    }
    if (parts.length < partCount) {
      parts = new ByteBuffer[Math.max(partCount, 2 * parts.length)];
    }
    parts[0] = moofBytes;
    int n = 1;
    for (int i = 0; i < tracks.length; i++) {
      if (counts[i] > 0) {
        tracks[i].run.putData(parts, n, counts[i], bytes[i]);
        n += tracks[i].run.partCount(counts[i]);
      }
    }
    long fragmentStart = fileEnd;
    long total = moofBytes.remaining() + mdatPayload;
    try {
      output.write(parts, n, fragmentStart);
      if (options.fsyncEveryFragment()) {
        output.force();
      }
      output.write(ByteBuffer.wrap(MOOF), fragmentStart + MOOF_TYPE_OFFSET);
      if (options.fsyncEveryFragment()) {
        output.force();
      }
    } catch (IOException e) {
      throw writeFailed("fragment " + (fragments + 1) + " (" + total + " bytes)", fragmentStart, e);
    }
    Arrays.fill(parts, 0, n, null); // no written payload outlives its fragment here
    fileEnd = fragmentStart + total;
    fragments++;
    long trackData = fragmentStart + moofSize + mdatHeader;
    int traf = 0; // trafs are written in track order, one per track with samples here
    for (int i = 0; i < tracks.length; i++) {
      TrackState t = tracks[i];
      if (counts[i] == 0) {
        continue;
      }
      traf++;
      FragmentRun run = t.run;
      addRandomAccessPoint(t, run, counts[i], fragmentStart, traf);
      for (int s = 0; s < counts[i]; s++) {
        long end = run.decodeTimes[s] - t.originTicks + run.compositionOffsets[s] + run.durations[s];
        t.maxPresentationEndTicks = Math.max(t.maxPresentationEndTicks, end);
        t.table.addSample(
            run.sizes[s], run.durations[s], run.compositionOffsets[s],
            run.flags[s] == Boxes.FLAGS_SYNC);
      }
      t.table.addChunk(trackData, counts[i], bytes[i]);
      t.writtenBytes += bytes[i];
      trackData += bytes[i];
      run.retainAfter(counts[i], bytes[i]);
    }
    publishResult(false);
  }

  /**
   * The fragment's first sync sample, if it has one, as a tfra entry (14496-12 8.8.10): its
   * presentation time, the moof's offset, and where it is (traf, trun 1, sample), all 1-based.
   */
  private static void addRandomAccessPoint(TrackState t, FragmentRun run, int count, long moofOffset, int traf) {
    for (int s = 0; s < count; s++) {
      if (run.flags[s] == Boxes.FLAGS_SYNC) {
        // tfra's time is unsigned: a sync sample presented before the origin (a negative
        // composition offset) is listed at 0.
        long presentation = Math.max(0, run.decodeTimes[s] + run.compositionOffsets[s] - t.originTicks);
        t.randomAccess.add(new long[] {presentation, moofOffset, traf, s + 1});
        return;
      }
    }
  }

  private void writeFully(ByteBuffer data, long position, String what) throws Mp4Exception {
    try {
      output.write(data, position);
    } catch (IOException e) {
      throw writeFailed(what, position, e);
    }
  }

  /**
   * The failure of writing {@code what} at {@code position}; behind a write-behind output it may be
   * an earlier write that failed, which its own message names.
   */
  private Mp4Exception writeFailed(String what, long position, IOException e) {
    if (e instanceof WriteBehindOutput.EarlierWriteFailed) {
      return new Mp4Exception("failed to write " + path + ": " + e.getMessage(), e);
    }
    return new Mp4Exception(
        "failed to write " + what + " at offset " + position + " of " + path + ": " + e.getMessage(), e);
  }

  @Override
  public void finish() throws IOException {
    try {
      for (TrackState t : tracks) {
        if (t.tailUnresolved) {
          resolveTail(t, lastSampleDuration(t));
        }
      }
      boolean pending = false;
      for (TrackState t : tracks) {
        pending |= t.run.count > 0;
      }
      if (pending || !headerWritten) {
        writeFragmentOrHeader(pending);
      }
      if (options.ending() == Mp4Options.Ending.FINALIZED) {
        finalizeInPlace();
      } else {
        writeMfra();
      }
      try {
        output.drain();
      } catch (IOException e) {
        throw new Mp4Exception("failed to write " + path + ": " + e.getMessage(), e);
      }
      if (options.fsyncAtFinish()) {
        forceOrThrow();
      }
      publishResult(options.ending() == Mp4Options.Ending.FINALIZED);
    } finally {
      closeQuietly();
    }
  }

  private void forceOrThrow() throws Mp4Exception {
    try {
      output.force();
    } catch (IOException e) {
      throw new Mp4Exception("failed to sync " + path + ": " + e.getMessage(), e);
    }
  }

  private void writeFragmentOrHeader(boolean pending) throws IOException {
    if (pending) {
      writeFragment();
    } else {
      writeHeader();
    }
  }

  /** A last sample's duration: as declared, else the previous sample's, else the format's frame. */
  private static long lastSampleDuration(TrackState t) {
    if (t.tailDeclaredDuration > 0) {
      return t.tailDeclaredDuration;
    }
    if (t.lastDuration > 0) {
      return t.lastDuration;
    }
    if (t.format instanceof AacFormat) {
      return ((AacFormat) t.format).samplesPerFrame();
    }
    return t.timescale / 30; // one frame at 30 fps: nothing better is known
  }

  /** Appends the full moov, then turns the placeholder into an mdat header over the fragments. */
  private void finalizeInPlace() throws IOException {
    long moovOffset = fileEnd;
    box.clear();
    MovieBoxes.finalMoov(box, tracks, null, false);
    ByteBuffer moovBytes = box.toByteBuffer();
    writeFully(moovBytes, moovOffset, "the final moov");
    if (options.fsyncAtFinish()) {
      forceOrThrow(); // the moov is durable before the placeholder points past the fragments
    }
    writeFully(Boxes.largeMdatHeader(placeholderOffset, moovOffset), placeholderOffset, "the mdat header");
    fileEnd = moovOffset + moovBytes.capacity();
  }

  /**
   * Writes a faststart copy of the finalized recording to {@code target}: ftyp, the moov, then one
   * mdat with every chunk in recording order, so a player can start before it has the whole file.
   * Called after {@link #finish()}, from one thread; reads the finalized file, never changes it.
   */
  public void writeFaststartCopy(Path target) throws IOException {
    if (result == null || !result.isFinalized()) {
      throw new Mp4Exception("no faststart copy of " + path + ": the recording was not finalized");
    }
    SampleTable[] tables = new SampleTable[tracks.length];
    for (int i = 0; i < tracks.length; i++) {
      tables[i] = tracks[i].table;
    }
    FaststartCopy.write(path, target, tables,
        (b, offsets, large) -> MovieBoxes.finalMoov(b, tracks, offsets, large), options.fsyncAtFinish());
  }

  private void writeMfra() throws IOException {
    List<List<long[]>> perTrack = new ArrayList<>();
    for (TrackState t : tracks) {
      perTrack.add(t.randomAccess);
    }
    box.clear();
    Boxes.mfra(box, perTrack);
    ByteBuffer mfra = box.toByteBuffer();
    writeFully(mfra, fileEnd, "the mfra index");
    fileEnd += mfra.capacity();
  }

  /**
   * Stops now, from any thread: closes the file so a blocked write returns. What was published
   * (every complete fragment) stays a valid, playable file.
   */
  @Override
  public void cancel() {
    cancelled = true;
    closeQuietly();
  }

  private void closeQuietly() {
    FileOutput c = output;
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // Closing is best effort: the published fragments are already on disk.
      }
    }
  }

  private void publishResult(boolean finalized) {
    List<Mp4Result.TrackSummary> summaries = new ArrayList<>();
    for (TrackState t : tracks) {
      summaries.add(
          new Mp4Result.TrackSummary(
              t.format, t.table.sampleCount(),
              MediaTime.rescaleTicks(t.table.totalDurationTicks(), t.timescale, 1_000_000, RoundingMode.HALF_UP),
              t.writtenBytes));
    }
    long published = 0;
    for (Mp4Result.TrackSummary s : summaries) {
      published += s.sampleCount();
    }
    // Until the end, samples in the fragment being built are not in the file: if the recording is
    // cut now, they are lost, and the result says so.
    result = new Mp4Result(path, summaries, fileEnd, fragments, finalized, 0, rejected, received - published);
  }

  Mp4Result emptyResult() {
    return new Mp4Result(path, new ArrayList<>(), 0, 0, false, 0, 0, 0);
  }

  /** The figures as of the last published fragment (or the end), from any thread; empty before start. */
  public Mp4Result result() {
    return result;
  }
}
