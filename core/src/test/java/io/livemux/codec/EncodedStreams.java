package io.livemux.codec;

import io.livemux.testing.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helpers around real encoders: ffmpeg-made Annex B streams, their NAL units, the configuration
 * boxes ffmpeg writes into MP4, and ffmpeg's own reading of parameter sets (the trace_headers
 * bitstream filter, which prints every syntax element it parses).
 *
 * <p>The NAL unit splitter here is deliberately naive and separate from the code under test.
 */
public final class EncodedStreams {
  private EncodedStreams() {}

  /**
   * Encodes a few frames of {@code testsrc2} at {@code size} and {@code rate} with {@code encoder}
   * (libx264 or libx265) and {@code encoderArgs}, into the raw Annex B file {@code dir/name}.
   */
  public static Path encode(
      Path dir, String name, String encoder, String size, String rate, String... encoderArgs)
      throws IOException {
    Path out = dir.resolve(name);
    List<String> args = new ArrayList<>();
    args.addAll(
        Arrays.asList(
            "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=" + rate,
            "-frames:v", "2", "-c:v", encoder));
    if (encoder.equals("libx265")) {
      args.addAll(Arrays.asList("-x265-params", "log-level=error"));
    }
    args.addAll(Arrays.asList(encoderArgs));
    args.addAll(Arrays.asList("-f", encoder.equals("libx265") ? "hevc" : "h264", out.toString()));
    Peers.ffmpeg(args.toArray(new String[0]));
    return out;
  }

  /** Remuxes an Annex B file into MP4 with {@code -c copy} (and {@code extraArgs}); returns it. */
  public static Path remuxToMp4(Path annexB, String... extraArgs) throws IOException {
    Path out = annexB.resolveSibling(annexB.getFileName() + ".mp4");
    List<String> args = new ArrayList<>(Arrays.asList("-loglevel", "error", "-i", annexB.toString(),
        "-c", "copy"));
    args.addAll(Arrays.asList(extraArgs));
    args.add(out.toString());
    Peers.ffmpeg(args.toArray(new String[0]));
    return out;
  }

  /** The payload of the first box of type {@code fourcc} in {@code file}, found by scanning. */
  public static byte[] boxPayload(Path file, String fourcc) throws IOException {
    byte[] data = Files.readAllBytes(file);
    byte[] type = fourcc.getBytes(StandardCharsets.US_ASCII);
    for (int i = 4; i + 4 <= data.length; i++) {
      if (data[i] == type[0] && data[i + 1] == type[1] && data[i + 2] == type[2]
          && data[i + 3] == type[3]) {
        int size = (data[i - 4] & 0xFF) << 24 | (data[i - 3] & 0xFF) << 16
            | (data[i - 2] & 0xFF) << 8 | (data[i - 1] & 0xFF);
        return Arrays.copyOfRange(data, i + 4, i - 4 + size);
      }
    }
    throw new AssertionError("no '" + fourcc + "' box in " + file);
  }

  /** The NAL units of an Annex B stream, start codes and trailing zero bytes removed. */
  public static List<byte[]> nalUnits(byte[] annexB) {
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i + 2 < annexB.length; i++) {
      if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1) {
        starts.add(i + 3);
      }
    }
    List<byte[]> nals = new ArrayList<>();
    for (int k = 0; k < starts.size(); k++) {
      int start = starts.get(k);
      int end = k + 1 < starts.size() ? starts.get(k + 1) - 3 : annexB.length;
      while (end > start && annexB[end - 1] == 0) {
        end--;
      }
      nals.add(Arrays.copyOfRange(annexB, start, end));
    }
    return nals;
  }

  /** The first H.264 NAL unit of {@code type} in the file. */
  public static byte[] firstH264Nal(Path annexB, int type) throws IOException {
    for (byte[] nal : nalUnits(Files.readAllBytes(annexB))) {
      if ((nal[0] & 0x1F) == type) {
        return nal;
      }
    }
    throw new AssertionError("no H.264 NAL unit of type " + type + " in " + annexB);
  }

  /** The first H.265 NAL unit of {@code type} in the file. */
  public static byte[] firstH265Nal(Path annexB, int type) throws IOException {
    for (byte[] nal : nalUnits(Files.readAllBytes(annexB))) {
      if (((nal[0] >> 1) & 0x3F) == type) {
        return nal;
      }
    }
    throw new AssertionError("no H.265 NAL unit of type " + type + " in " + annexB);
  }

  /** Annex B bytes: each NAL unit after a 4-byte start code. */
  public static byte[] annexB(byte[]... nals) {
    int size = 0;
    for (byte[] nal : nals) {
      size += 4 + nal.length;
    }
    byte[] out = new byte[size];
    int at = 0;
    for (byte[] nal : nals) {
      out[at + 3] = 1;
      System.arraycopy(nal, 0, out, at + 4, nal.length);
      at += 4 + nal.length;
    }
    return out;
  }

  /** Inserts emulation-prevention bytes (H.264 7.4.1) into an RBSP that follows a NAL header. */
  public static byte[] escape(byte[] rbsp) {
    byte[] out = new byte[rbsp.length * 3 / 2 + 4];
    int n = 0;
    int zeros = 0;
    for (byte b : rbsp) {
      if (zeros >= 2 && (b & 0xFF) <= 3) {
        out[n++] = 3;
        zeros = 0;
      }
      out[n++] = b;
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Runs ffmpeg's trace_headers over the parameter sets in an Annex B file ({@code format} h264 or
   * hevc) and returns, for the first unit of each kind ("Sequence Parameter Set", "Video Parameter
   * Set"…), its syntax elements and values. ffmpeg may fail afterwards for want of a picture; the
   * trace is complete by then.
   */
  public static Map<String, Map<String, Long>> traceHeaders(Path annexB, String format)
      throws IOException {
    Peers.Result result =
        Peers.run(
            Duration.ofSeconds(60),
            Arrays.asList(
                Peers.ffmpeg().toString(), "-hide_banner", "-nostdin", "-f", format, "-i",
                annexB.toString(), "-c", "copy", "-bsf:v", "trace_headers", "-f", "null", "-"));
    Pattern header = Pattern.compile("^\\[trace_headers @ [^\\]]*\\] ([A-Za-z][A-Za-z ]+)$");
    Pattern field =
        Pattern.compile("^\\[trace_headers @ [^\\]]*\\] \\d+\\s+(\\S+)\\s+[01]+ = (-?\\d+)$");
    Map<String, Map<String, Long>> sections = new LinkedHashMap<>();
    Map<String, Long> current = null;
    for (String line : result.stderr.split("\n")) {
      Matcher h = header.matcher(line);
      if (h.matches()) {
        String name = h.group(1).trim();
        current = sections.containsKey(name) ? null : new LinkedHashMap<>();
        if (current != null) {
          sections.put(name, current);
        }
        continue;
      }
      Matcher f = field.matcher(line);
      if (f.matches() && current != null) {
        current.putIfAbsent(f.group(1), Long.parseLong(f.group(2)));
      }
    }
    if (sections.isEmpty()) {
      throw new AssertionError("trace_headers printed no parameter set:\n" + result.stderr);
    }
    return sections;
  }

  /** chroma_format_idc implied by an ffmpeg pix_fmt name. */
  public static int chromaFormatOf(String pixFmt) {
    if (pixFmt.startsWith("gray")) {
      return 0;
    } else if (pixFmt.contains("420")) {
      return 1;
    } else if (pixFmt.contains("422")) {
      return 2;
    } else if (pixFmt.contains("444")) {
      return 3;
    }
    throw new AssertionError("unexpected pix_fmt " + pixFmt);
  }

  /** Bit depth implied by an ffmpeg pix_fmt name. */
  public static int bitDepthOf(String pixFmt) {
    if (pixFmt.contains("10")) {
      return 10;
    } else if (pixFmt.contains("12")) {
      return 12;
    }
    return 8;
  }

  /** Greatest common divisor, for comparing frame rates as reduced fractions. */
  public static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** {@code num/den} reduced, as ffprobe prints r_frame_rate. */
  public static String fraction(long num, long den) {
    long g = gcd(num, den);
    return num / g + "/" + den / g;
  }

  public static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(String.format("%02x", b & 0xFF));
    }
    return s.toString();
  }

  public static byte[] unhex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
