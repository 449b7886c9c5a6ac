package io.livemux.cli;

import io.livemux.codec.aac.AacEncoder;
import io.livemux.format.AacFormat;
import io.livemux.mp4.Mp4Options;
import io.livemux.mp4.Mp4Recorder;
import io.livemux.mp4.Mp4Result;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code livemux encode-audio INPUT.wav OUTPUT.m4a [--bitrate 128k]}: 16-bit PCM WAV to AAC-LC in
 * MP4 with livemux's own encoder (no native code).
 *
 * <p>Made and called by picocli on the thread running {@link Livemux#main}; one call per instance.
 */
@Command(
    name = "encode-audio",
    mixinStandardHelpOptions = true,
    description = "Encode a 16-bit PCM WAV file (mono or stereo, 8 to 48 kHz) to AAC-LC in an MP4.")
final class EncodeAudioCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "INPUT.wav", description = "16-bit PCM WAV.")
  Path input;

  @Parameters(index = "1", paramLabel = "OUTPUT.m4a", description = "The MP4 to write (replaced if it exists).")
  Path output;

  @Option(names = "--bitrate", defaultValue = "128k",
      description = "Target bitrate, 32k to 320k (default ${DEFAULT-VALUE}).")
  String bitrate;

  @ParentCommand Livemux parent;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    int bitrateBps;
    try {
      bitrateBps = parseBitrate(bitrate);
    } catch (IllegalArgumentException e) {
      throw Livemux.usage(spec, e.getMessage());
    }
    Livemux.checkNotEmpty(spec, "INPUT.wav", input);
    Livemux.checkNotEmpty(spec, "OUTPUT.m4a", output);
    WavFile wav = WavFile.open(input);
    Livemux.checkOutput(input, output); // before the recorder creates (or truncates) it
    AacEncoder encoder;
    try {
      encoder = AacEncoder.create(AacEncoder.Config.builder().sampleRateHz(wav.sampleRateHz)
          .channelCount(wav.channelCount).bitrateBps(bitrateBps).build());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(input + ": " + e.getMessage(), e);
    }
    // the priming frame is hidden by the MP4 edit list: decoders give back the WAV's samples
    AacFormat format = AacFormat.of(encoder.audioSpecificConfig())
        .withEncoderDelaySamples(encoder.encoderDelaySamples());
    Mp4Recorder recorder = Mp4Recorder.create(output, Mp4Options.defaults());
    WriterInput track = recorder.addTrack(format, false);
    recorder.start();
    Progress progress = new Progress(spec.commandLine().getErr(), parent.terminal, "encode-audio");
    long units = 0;
    try (FileChannel in = FileChannel.open(input, StandardOpenOption.READ)) {
      ByteBuffer block = ByteBuffer.allocate(AacEncoder.SAMPLES_PER_FRAME * 2 * wav.channelCount * 16);
      for (long done = 0; done < wav.dataBytes; ) {
        block.clear();
        block.limit((int) Math.min(block.capacity(), wav.dataBytes - done));
        int n = in.read(block, wav.dataOffset + done);
        if (n <= 0) {
          break;
        }
        done += n;
        block.flip();
        block.limit(block.limit() - block.limit() % (2 * wav.channelCount));
        units = append(track, format, encoder.encode(block), units, wav.sampleRateHz, 0);
        progress.update((double) done / wav.dataBytes);
      }
    }
    // The last access unit is padded to 1024 samples: its duration says how many are real, so the
    // edit list's segment ends with the input's last sample.
    List<ByteBuffer> last = encoder.flush();
    long totalSamples = wav.dataBytes / (2L * wav.channelCount);
    long padding = (units + last.size()) * AacEncoder.SAMPLES_PER_FRAME
        - encoder.encoderDelaySamples() - totalSamples;
    units = append(track, format, last, units, wav.sampleRateHz, padding);
    track.markAsFinished();
    Mp4Result result = recorder.finish().get(60, TimeUnit.SECONDS);
    progress.done();
    PrintWriter out = spec.commandLine().getOut();
    out.println(String.format(Locale.ROOT,
        "encoded %s (%d Hz, %d ch) to %s: %d AAC frames, %.2f s, %d bytes; an edit list hides the"
            + " encoder's %d priming samples",
        input, wav.sampleRateHz, wav.channelCount, output, units, result.durationUs() / 1e6,
        result.fileBytes(), encoder.encoderDelaySamples()));
    return 0;
  }

  /** Appends {@code units}; the last one's duration is shortened by {@code lastPadding} samples. */
  private static long append(WriterInput track, AacFormat format, List<ByteBuffer> units, long index,
      int sampleRateHz, long lastPadding) throws InterruptedException {
    for (int i = 0; i < units.size(); i++) {
      ByteBuffer unit = units.get(i);
      long duration = AacEncoder.SAMPLES_PER_FRAME
          - (i == units.size() - 1 ? Math.min(Math.max(0, lastPadding), AacEncoder.SAMPLES_PER_FRAME - 1) : 0);
      Sample s = Sample.builder(format).timescale(sampleRateHz)
          .presentationTimeTicks(index * AacEncoder.SAMPLES_PER_FRAME)
          .durationTicks(duration).flags(Sample.FLAG_SYNC).payload(unit).build();
      while (track.append(s) == AppendResult.NOT_READY) {
        track.awaitReady(1, TimeUnit.SECONDS);
      }
      index++;
    }
    return index;
  }

  /** "128k", "96000", "0.32M" in bits per second. */
  static int parseBitrate(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    double scale = 1;
    if (t.endsWith("k")) {
      scale = 1000;
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      scale = 1_000_000;
      t = t.substring(0, t.length() - 1);
    }
    double value;
    try {
      value = Double.parseDouble(t) * scale;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--bitrate is not a bitrate: " + text);
    }
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("--bitrate is not a bitrate: " + text);
    }
    if (value < AacEncoder.Config.MIN_BITRATE_BPS || value > AacEncoder.Config.MAX_BITRATE_BPS) {
      boolean unitless = scale == 1 && value * 1000 >= AacEncoder.Config.MIN_BITRATE_BPS
          && value * 1000 <= AacEncoder.Config.MAX_BITRATE_BPS;
      throw new IllegalArgumentException("--bitrate out of range 32k..320k: " + text
          + (unitless ? " (bits per second; did you mean " + text.trim() + "k?)" : ""));
    }
    return (int) value;
  }
}
