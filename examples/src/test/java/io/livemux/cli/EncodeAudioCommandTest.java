package io.livemux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code livemux encode-audio}: WAV in, AAC in MP4 out that ffmpeg decodes; other WAVs refused by name. */
class EncodeAudioCommandTest {
  @TempDir Path dir;

  @Test
  void sixteenBitWav_becomesAnAacMp4_thatFfmpegDecodesToTheSameLength() throws Exception {
    Path wav = dir.resolve("speech-like.wav");
    Peers.ffmpeg("-v", "error", "-f", "lavfi", "-i", "sine=f=440:r=44100", "-f", "lavfi", "-i",
        "anoisesrc=r=44100:a=0.05", "-filter_complex", "amix=inputs=2", "-ac", "2", "-t", "5",
        "-c:a", "pcm_s16le", wav.toString());
    Path m4a = dir.resolve("out.m4a");
    Cli.Run run = Cli.run("encode-audio", wav.toString(), m4a.toString(), "--bitrate", "96k");
    assertEquals(0, run.exitCode, run.toString());
    Peers.Result decode = Peers.ffmpeg("-v", "error", "-i", m4a.toString(), "-f", "null", "-");
    assertEquals("", decode.stderr.trim(), "ffmpeg decodes it without an error");
    Map<String, String> stream = Peers.ffprobeStream(m4a, "a");
    assertEquals("aac", stream.get("codec_name"));
    assertEquals("44100", stream.get("sample_rate"));
    assertEquals("2", stream.get("channels"));
    // the edit list hides the priming and ends at the input's last sample: exactly the WAV's length
    assertEquals("5.000000", stream.get("duration"), "the track presents exactly the input's 5 s");
    // 5 s of input, plus the priming frame and the flushed tail: 217 frames of 1024
    int frames = Peers.decodedFrames(m4a, "0:a", false).size();
    assertTrue(frames >= 5 * 44100 / 1024 + 1 && frames <= 5 * 44100 / 1024 + 3, frames + " frames");
    long bits = (Files.size(m4a) - 4096) * 8;
    assertTrue(Math.abs(bits / 5.0 - 96_000) < 96_000 * 0.15, "about 96 kbit/s: " + bits / 5);
  }

  @Test
  void otherWavs_areRefusedNamingWhatTheyHold() throws Exception {
    Path s24 = dir.resolve("s24.wav");
    Peers.ffmpeg("-v", "error", "-f", "lavfi", "-i", "sine=r=48000", "-t", "1", "-c:a", "pcm_s24le", s24.toString());
    Cli.Run run = Cli.run("encode-audio", s24.toString(), dir.resolve("a.m4a").toString());
    assertEquals(1, run.exitCode, run.toString());
    assertTrue(run.stderr.contains("24-bit samples; encode-audio takes 16-bit PCM"), run.stderr);

    Path f32 = dir.resolve("f32.wav");
    Peers.ffmpeg("-v", "error", "-f", "lavfi", "-i", "sine=r=48000", "-t", "1", "-c:a", "pcm_f32le", f32.toString());
    run = Cli.run("encode-audio", f32.toString(), dir.resolve("b.m4a").toString());
    assertEquals(1, run.exitCode, run.toString());
    assertTrue(run.stderr.contains("32-bit float"), run.stderr);

    Path notWav = dir.resolve("not.wav");
    Files.write(notWav, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
    run = Cli.run("encode-audio", notWav.toString(), dir.resolve("c.m4a").toString());
    assertEquals(1, run.exitCode, run.toString());
    assertTrue(run.stderr.contains("not a WAV file"), run.stderr);

    run = Cli.run("encode-audio", s24.toString(), dir.resolve("d.m4a").toString(), "--bitrate", "900k");
    assertEquals(2, run.exitCode, run.toString()); // a usage error, found before the file is read
    assertTrue(run.stderr.contains("--bitrate out of range 32k..320k: 900k"), run.stderr);
  }

  private Path tone() throws Exception {
    Path wav = dir.resolve("tone.wav");
    if (!Files.exists(wav)) {
      Peers.ffmpeg("-v", "error", "-f", "lavfi", "-i", "sine=r=44100", "-t", "1", "-c:a", "pcm_s16le", wav.toString());
    }
    return wav;
  }

  @Test
  void encodeAudio_ontoItsInputOrASymlinkToIt_isRefused_andTheWavIsUnchanged() throws Exception {
    Path wav = tone();
    String before = Cli.sha256(wav);
    Cli.Run same = Cli.run("encode-audio", wav.toString(), wav.toString());
    assertEquals(1, same.exitCode, same.toString());
    assertEquals("livemux: the output " + wav + " is the input file; choose another name\n", same.stderr);
    assertEquals(before, Cli.sha256(wav), "the WAV is unchanged");

    Path link = Files.createSymbolicLink(dir.resolve("link.m4a"), wav);
    Cli.Run viaLink = Cli.run("encode-audio", wav.toString(), link.toString());
    assertEquals(1, viaLink.exitCode, viaLink.toString());
    assertEquals("livemux: the output " + link + " is the input file; choose another name\n", viaLink.stderr);
    assertEquals(before, Cli.sha256(wav), "the WAV is unchanged");
  }

  @Test
  void encodeAudio_intoAMissingDirectoryOrOntoADirectory_exits1_namingIt_withoutJavaNames() throws Exception {
    Path wav = tone();
    Path missing = dir.resolve("no-such-dir").resolve("x.m4a");
    Cli.Run run = Cli.run("encode-audio", wav.toString(), missing.toString());
    assertEquals(1, run.exitCode, run.toString());
    assertEquals("livemux: cannot write " + missing + ": the directory " + missing.getParent()
        + " does not exist\n", run.stderr);

    Path directory = Files.createDirectory(dir.resolve("d"));
    run = Cli.run("encode-audio", wav.toString(), directory.toString());
    assertEquals(1, run.exitCode, run.toString());
    assertEquals("livemux: the output " + directory + " is a directory\n", run.stderr);

    Path noWav = dir.resolve("missing.wav");
    run = Cli.run("encode-audio", noWav.toString(), dir.resolve("y.m4a").toString());
    assertEquals(1, run.exitCode, run.toString());
    assertEquals("livemux: " + noWav + ": no such file or directory\n", run.stderr);
  }

  @Test
  void encodeAudio_badBitrate_isAUsageError_exit2_namingTheValue() throws Exception {
    Path wav = tone();
    String[][] cases = {
      {"abc", "--bitrate is not a bitrate: abc"},
      {"8k", "--bitrate out of range 32k..320k: 8k"},
      {"128", "--bitrate out of range 32k..320k: 128 (bits per second; did you mean 128k?)"},
      {"NaN", "--bitrate is not a bitrate: NaN"},
    };
    for (String[] c : cases) {
      Path out = dir.resolve("bitrate.m4a");
      Cli.Run run = Cli.run("encode-audio", wav.toString(), out.toString(), "--bitrate", c[0]);
      assertEquals(2, run.exitCode, run.toString());
      assertEquals("livemux encode-audio: " + c[1] + " (see `livemux encode-audio --help`)\n", run.stderr);
      assertTrue(Files.notExists(out));
    }
  }
}
