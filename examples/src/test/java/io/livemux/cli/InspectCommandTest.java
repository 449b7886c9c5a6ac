package io.livemux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.livemux.testing.Peers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code livemux inspect --json}, parsed and held against ffprobe's numbers and mp4parser's boxes. */
class InspectCommandTest {
  @TempDir Path dir;

  @Test
  void inspectJson_ofFfmpegsMp4_agreesWithFfprobe() throws IOException {
    Path file = Sources.mp4(4);
    JsonObject json = inspect(file);
    assertEquals("mp4", json.get("container").getAsString());
    assertEquals("ftyp free mdat moov", json.get("layout").getAsString());
    assertEquals(String.join(" ", Boxes.topLevelTypes(file)), json.get("layout").getAsString());
    assertEquals(false, json.get("fragmented").getAsBoolean());
    assertAgreesWithFfprobe(file, json, 0.002, true);
    assertEquals(0, json.getAsJsonArray("problems").size(), json.toString());
  }

  @Test
  void inspectJson_ofFfmpegsFlv_agreesWithFfprobe() throws IOException {
    Path file = Sources.flv(4);
    JsonObject json = inspect(file);
    assertEquals("flv", json.get("container").getAsString());
    assertTrue(json.get("layout").isJsonNull());
    assertAgreesWithFfprobe(file, json, 0.05, false);
    assertEquals(0, json.getAsJsonArray("problems").size(), json.toString());
  }

  @Test
  void inspectJson_ofOurThreeLayouts_showsTheirBoxesAndFragments() throws IOException {
    Path source = Sources.mp4(4);
    Path finalized = dir.resolve("finalized.mp4");
    Path fragmented = dir.resolve("fragmented.mp4");
    Path faststart = dir.resolve("faststart.mp4");
    assertEquals(0, Cli.run("remux", source.toString(), finalized.toString()).exitCode);
    assertEquals(0, Cli.run("remux", source.toString(), fragmented.toString(), "--fragmented").exitCode);
    assertEquals(0, Cli.run("remux", source.toString(), faststart.toString(), "--faststart").exitCode);

    JsonObject f = inspect(finalized);
    assertEquals("ftyp mdat moov", f.get("layout").getAsString());
    assertEquals(false, f.get("fragmented").getAsBoolean());
    assertAgreesWithFfprobe(finalized, f, 0.002, true);

    JsonObject s = inspect(faststart);
    assertEquals("ftyp moov mdat", s.get("layout").getAsString());
    assertAgreesWithFfprobe(faststart, s, 0.002, true);

    JsonObject g = inspect(fragmented);
    int moofs = Boxes.fragments(fragmented).size();
    assertEquals("ftyp free moov (moof mdat)x" + moofs + " mfra", g.get("layout").getAsString());
    assertEquals(List.of("ftyp", "free", "moov"), Boxes.topLevelTypes(fragmented).subList(0, 3));
    assertEquals(true, g.get("fragmented").getAsBoolean());
    assertEquals(moofs, g.get("fragments").getAsInt());
    // ffprobe estimates a fragmented file's duration past its last packet (4.097 s here, for
    // ffmpeg's own `-movflags frag_keyframe+empty_moov` output of this source too): hold the
    // duration against the span of the packets it reads instead.
    assertAgreesWithFfprobe(fragmented, g, 0.002, false, false);
    assertEquals(packetSpanS(fragmented), g.get("durationS").getAsDouble(), 0.002);
  }

  @Test
  void inspect_ofARecordingCutMidFragment_reportsTheCutBox() throws IOException {
    Path recording = dir.resolve("recording.mp4");
    assertEquals(0, Cli.run("remux", Sources.mp4(4).toString(), recording.toString(), "--fragmented").exitCode);
    List<long[]> fragments = Boxes.fragments(recording);
    long cutAt = fragments.get(1)[0] + 1000; // inside the third fragment
    Path cut = RecoverCommandTest.truncatedCopy(recording, dir.resolve("cut.mp4"), cutAt);
    JsonObject json = inspect(cut);
    assertEquals(List.of("truncated-box"), codes(json), json.toString());
    assertTrue(json.get("layout").getAsString().matches("ftyp free moov \\(moof mdat\\)x2 (moof\\(cut\\)|moof mdat\\(cut\\))"),
        json.get("layout").getAsString());
    assertEquals(2, json.get("fragments").getAsInt());
    assertEquals(fragments.get(0)[1] + fragments.get(1)[1],
        json.getAsJsonArray("tracks").get(0).getAsJsonObject().get("samples").getAsLong());

    Path headerCut = RecoverCommandTest.truncatedCopy(recording, dir.resolve("header-cut.mp4"), 300);
    JsonObject noMoov = inspect(headerCut);
    assertEquals(List.of("truncated-box", "missing-moov"), codes(noMoov), noMoov.toString());
    assertEquals(0, noMoov.getAsJsonArray("tracks").size());
  }

  @Test
  void inspect_ofAnFlvCutMidTag_reportsTheCutTag_andCountsTheWholeTags() throws IOException {
    Path whole = Sources.flv(4);
    byte[] bytes = java.nio.file.Files.readAllBytes(whole);
    int tag = FlvTags.tagOffset(bytes, 100);
    Path cut = RecoverCommandTest.truncatedCopy(whole, dir.resolve("cut.flv"), tag + 20);
    JsonObject json = inspect(cut);
    assertEquals(List.of("truncated-tag"), codes(json), json.toString());
    String message = json.getAsJsonArray("problems").get(0).getAsJsonObject().get("message").getAsString();
    assertTrue(message.contains("its last 20 bytes are an incomplete tag"), message);
    long samples = 0;
    for (JsonElement t : json.getAsJsonArray("tracks")) {
      samples += t.getAsJsonObject().get("samples").getAsLong();
    }
    assertEquals(100 - sequenceAndScriptTags(bytes, 100), samples, "the 100 whole tags before the cut, as samples");
  }

  /** How many of the first {@code n} tags carry no sample: onMetaData and the two sequence headers. */
  private static int sequenceAndScriptTags(byte[] flv, int n) {
    int count = 0;
    for (int i = 0; i < n; i++) {
      int at = FlvTags.tagOffset(flv, i);
      int type = flv[at] & 0x1F;
      boolean header = (type == FlvTags.VIDEO && flv[at + 12] == 0) || (type == FlvTags.AUDIO && flv[at + 12] == 0);
      count += type == 18 || header ? 1 : 0;
    }
    return count;
  }

  @Test
  void inspect_findsAGap_decodeTimeGoingBack_andNoKeyframeAtTheStart() throws IOException {
    FlvTags flv = FlvTags.read(Sources.flv(4));
    // A 3 s hole in both tracks at 2 s ...
    for (FlvTags.Tag t : flv.tags) {
      if (t.timestampMs >= 2000) {
        t.timestampMs += 3000;
      }
    }
    // ... the tenth video frame stamped 200 ms before the ninth ...
    List<FlvTags.Tag> frames = new ArrayList<>();
    for (FlvTags.Tag t : flv.tags) {
      if (t.isVideoFrame()) {
        frames.add(t);
      }
    }
    frames.get(9).timestampMs = frames.get(8).timestampMs - 200;
    // ... and the first keyframe gone.
    flv.tags.remove(frames.get(0));
    Path damaged = dir.resolve("damaged.flv");
    flv.write(damaged);

    JsonObject json = inspect(damaged);
    assertEquals(List.of("no-keyframe-at-start", "dts-backwards", "timestamp-gap", "timestamp-gap"), codes(json),
        json.toString());
    JsonObject video = json.getAsJsonArray("tracks").get(0).getAsJsonObject();
    assertEquals(false, video.get("firstIsKeyframe").getAsBoolean());
    assertEquals(1, video.get("dtsBackwards").getAsInt());
    assertEquals(1, video.get("gapsOver1s").getAsInt());
    assertEquals(3.04, video.get("largestGapS").getAsDouble(), 0.001); // 3 s + one 40 ms frame
    JsonObject audio = json.getAsJsonArray("tracks").get(1).getAsJsonObject();
    assertEquals(1, audio.get("gapsOver1s").getAsInt());
    assertEquals(3.023, audio.get("largestGapS").getAsDouble(), 0.002);

    Cli.Run text = Cli.run("inspect", damaged.toString());
    assertEquals(0, text.exitCode, text.toString());
    assertTrue(text.stdout.contains("problems: 4"), text.stdout);
    assertTrue(text.stdout.contains("no-keyframe-at-start: track 0 (video) does not start with a keyframe"),
        text.stdout);
  }

  private static JsonObject inspect(Path file) {
    Cli.Run run = Cli.run("inspect", file.toString(), "--json");
    assertEquals(0, run.exitCode, run.toString());
    assertEquals("", run.stderr);
    assertEquals(1, run.stdout.trim().split("\n").length, "one line of JSON: " + run.stdout);
    return JsonParser.parseString(run.stdout).getAsJsonObject();
  }

  private static List<String> codes(JsonObject json) {
    List<String> codes = new ArrayList<>();
    for (JsonElement p : json.getAsJsonArray("problems")) {
      codes.add(p.getAsJsonObject().get("code").getAsString());
    }
    return codes;
  }

  /** Tracks, codecs, sizes, rates, packet and keyframe counts, start times and durations. */
  private static void assertAgreesWithFfprobe(Path file, JsonObject json, double toleranceS, boolean trackDurations)
      throws IOException {
    assertAgreesWithFfprobe(file, json, toleranceS, trackDurations, true);
  }

  private static void assertAgreesWithFfprobe(
      Path file, JsonObject json, double toleranceS, boolean trackDurations, boolean formatDuration)
      throws IOException {
    JsonArray tracks = json.getAsJsonArray("tracks");
    assertEquals(2, tracks.size());
    double probedDuration = Double.parseDouble(
        Peers.ffprobe("-show_entries", "format=duration", "-of", "csv=p=0", file.toString()).trim());
    if (formatDuration) {
      assertEquals(probedDuration, json.get("durationS").getAsDouble(), toleranceS, "duration");
    }
    String[] selectors = {"v:0", "a:0"};
    double[] starts = new double[2];
    for (int i = 0; i < 2; i++) {
      JsonObject t = tracks.get(i).getAsJsonObject();
      Map<String, String> probe = Peers.ffprobeStream(file, selectors[i]);
      assertEquals(probe.get("codec_name"), t.get("codec").getAsString());
      assertEquals(i == 0 ? "video" : "audio", t.get("type").getAsString());
      if (i == 0) {
        assertEquals(probe.get("width"), t.get("width").getAsString());
        assertEquals(probe.get("height"), t.get("height").getAsString());
      } else {
        assertEquals(probe.get("sample_rate"), t.get("sampleRateHz").getAsString());
        assertEquals(probe.get("channels"), t.get("channels").getAsString());
      }
      assertEquals(Sources.packets(file, selectors[i].substring(0, 1)), t.get("samples").getAsInt());
      int keyframes = 0;
      for (String flags : Peers.ffprobe("-select_streams", selectors[i], "-show_entries", "packet=flags", "-of",
          "csv=p=0", file.toString()).split("\n")) {
        keyframes += flags.startsWith("K") ? 1 : 0;
      }
      assertEquals(keyframes, t.get("keyframes").getAsInt(), "keyframes of " + selectors[i]);
      starts[i] = Double.parseDouble(probe.get("start_time"));
      assertEquals(starts[i], t.get("startS").getAsDouble(), 0.0011, "start of " + selectors[i]);
      if (trackDurations) {
        assertEquals(Double.parseDouble(probe.get("duration")), t.get("durationS").getAsDouble(), toleranceS,
            "duration of " + selectors[i]);
      }
    }
    assertEquals(starts[1] - starts[0], json.get("avStartOffsetS").getAsDouble(), 0.0011);
    JsonObject video = tracks.get(0).getAsJsonObject();
    assertTrue(video.get("firstIsKeyframe").getAsBoolean());
    // GOP 12 at 25 fps: a keyframe every 0.48 s.
    assertEquals(0.48, video.getAsJsonObject("keyframeIntervalS").get("mean").getAsDouble(), 0.001);
  }

  /** From the first packet's presentation to the last one's end, all streams, as ffprobe reads them. */
  private static double packetSpanS(Path file) throws IOException {
    double first = Double.MAX_VALUE;
    double end = -Double.MAX_VALUE;
    for (String line : Peers.ffprobe("-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0",
        file.toString()).split("\n")) {
      if (!line.isBlank()) {
        String[] f = line.trim().split(",");
        double pts = Double.parseDouble(f[0]);
        first = Math.min(first, pts);
        end = Math.max(end, pts + (f[1].equals("N/A") ? 0 : Double.parseDouble(f[1])));
      }
    }
    return end - first;
  }
}
