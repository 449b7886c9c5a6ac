package io.livemux.codec.aac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import io.livemux.bitstream.BitWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class AudioSpecificConfigPropertiesTest {

  @Provide
  Arbitrary<AscFields> ascFields() {
    return Builders.withBuilder(AscFields::new)
        .use(Arbitraries.of(1, 2, 3, 4, 17, 19, 23, 39))
        .in((f, v) -> set(f, () -> f.coreAot = v))
        .use(Arbitraries.oneOf(Arbitraries.integers().between(0, 12), Arbitraries.just(15)))
        .in((f, v) -> set(f, () -> f.sfi = v))
        .use(
            Arbitraries.oneOf(
                Arbitraries.integers().between(1, 0xFF_FFFF), Arbitraries.of(8000, 44100, 48000)))
        .in((f, v) -> set(f, () -> f.explicitRateHz = v))
        .use(Arbitraries.of(1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14))
        .in((f, v) -> set(f, () -> f.channelConfiguration = v))
        .use(Arbitraries.of(false, true))
        .in((f, v) -> set(f, () -> f.frameLengthFlag = v))
        .use(Arbitraries.of(false, true))
        .in((f, v) -> set(f, () -> f.dependsOnCoreCoder = v))
        .use(Arbitraries.integers().between(0, 0x3FFF))
        .in((f, v) -> set(f, () -> f.coreCoderDelay = v))
        .use(Arbitraries.of(false, true))
        .in((f, v) -> set(f, () -> f.extensionFlag = v))
        .use(Arbitraries.integers().between(0, 7))
        .in((f, v) -> set(f, () -> f.resilienceFlags = v))
        .use(Arbitraries.integers().between(0, 1))
        .in((f, v) -> set(f, () -> f.epConfig = v))
        .use(Arbitraries.integers().between(0, 5))
        .in((f, v) -> set(f, () -> f.sbrMode = v))
        .use(Arbitraries.of(false, true))
        .in((f, v) -> set(f, () -> f.psFlag = v))
        .use(Arbitraries.of(1, 2))
        .in((f, v) -> set(f, () -> f.extRatio = v))
        .use(Arbitraries.of(false, true))
        .in((f, v) -> set(f, () -> f.extForceExplicit = v))
        .build(AudioSpecificConfigPropertiesTest::resolve);
  }

  private static AscFields set(AscFields f, Runnable assignment) {
    assignment.run();
    return f;
  }

  /**
   * Makes the random fields consistent: SBR only over 1..4, an extension rate of 1x or 2x the core.
   */
  private static AscFields resolve(AscFields f) {
    boolean sbrAllowed = f.coreAot >= 1 && f.coreAot <= 4;
    if (!sbrAllowed && f.sbrMode != AscFields.SBR_ABSENT_BACKWARD_COMPATIBLE) {
      f.sbrMode = AscFields.SBR_NONE;
    }
    if (f.coreAot == 39) {
      f.dependsOnCoreCoder = false;
      f.extensionFlag = false;
    }
    boolean resilienceWritten = f.coreAot == 39 || (f.errorResilient() && f.extensionFlag);
    if (!resilienceWritten) {
      f.resilienceFlags = 0;
    }
    if (!f.errorResilient()) {
      f.epConfig = 0;
    }
    if (!f.dependsOnCoreCoder) {
      f.coreCoderDelay = 0;
    }
    int extRate =
        f.extRatio == 2 && 2L * f.coreRateHz() <= 0xFF_FFFF ? 2 * f.coreRateHz() : f.coreRateHz();
    int index =
        Arrays.stream(AscFields.RATES_HZ)
            .boxed()
            .collect(java.util.stream.Collectors.toList())
            .indexOf(extRate);
    if (index < 0 || f.extForceExplicit) {
      f.extSfi = 15;
      f.extExplicitRateHz = extRate;
    } else {
      f.extSfi = index;
      f.extExplicitRateHz = 0;
    }
    if (f.sbrMode != AscFields.SBR_PS_BACKWARD_COMPATIBLE && f.sbrMode != AscFields.PS_EXPLICIT) {
      f.psFlag = false;
    }
    return f;
  }

  @Property(tries = 1000)
  void encodedConfig_parsesToItsFieldsAndEncodesBackToTheSameBytes(
      @ForAll("ascFields") AscFields fields) throws Exception {
    byte[] encoded = fields.encode();

    AudioSpecificConfig config = AudioSpecificConfig.parse(ByteBuffer.wrap(encoded));

    assertEquals(fields.expectedAudioObjectType(), config.audioObjectType());
    assertEquals(fields.coreAot, config.coreAudioObjectType());
    assertEquals(fields.expectedSampleRateHz(), config.sampleRateHz());
    assertEquals(fields.coreRateHz(), config.coreSampleRateHz());
    assertEquals(fields.sfi, config.samplingFrequencyIndex());
    assertEquals(fields.channelConfiguration, config.channelConfiguration());
    assertEquals(fields.expectedChannelCount(), config.channelCount());
    assertEquals(fields.expectedSamplesPerFrame(), config.samplesPerFrame());
    assertEquals(fields.sbr(), config.sbrPresent());
    assertEquals(fields.ps(), config.psPresent());
    assertArrayEquals(encoded, config.toBytes());
    AudioSpecificConfig again = AudioSpecificConfig.parse(ByteBuffer.wrap(config.toBytes()));
    assertEquals(config, again);
    assertEquals(config.hashCode(), again.hashCode());
  }

  @Property(tries = 600)
  void of_roundTripsThroughBytes(
      @ForAll("objectTypes") int audioObjectType,
      @ForAll("sampleRates") int sampleRateHz,
      @ForAll @IntRange(min = 1, max = 8) int channelCount)
      throws Exception {
    boolean heAac = audioObjectType == 5 || audioObjectType == 29;
    int channels = audioObjectType == 29 ? 2 : channelCount;
    int rate = heAac ? sampleRateHz * 2 : sampleRateHz;
    if (rate > 0xFF_FFFF) {
      rate = sampleRateHz;
      rate -= rate % 2;
    }

    AudioSpecificConfig config = AudioSpecificConfig.of(audioObjectType, rate, channels);
    AudioSpecificConfig parsed = AudioSpecificConfig.parse(ByteBuffer.wrap(config.toBytes()));

    assertEquals(config, parsed);
    assertArrayEquals(config.toBytes(), parsed.toBytes());
    assertEquals(audioObjectType, parsed.audioObjectType());
    assertEquals(rate, parsed.sampleRateHz());
    assertEquals(channels, parsed.channelCount());
    int baseFrame = audioObjectType == 23 || audioObjectType == 39 ? 512 : 1024;
    assertEquals(heAac ? 2 * baseFrame : baseFrame, parsed.samplesPerFrame());
  }

  @Provide
  Arbitrary<Integer> objectTypes() {
    return Arbitraries.of(1, 2, 3, 4, 5, 17, 19, 23, 29, 39);
  }

  @Provide
  Arbitrary<Integer> sampleRates() {
    return Arbitraries.oneOf(
        Arbitraries.of(Arrays.stream(AscFields.RATES_HZ).boxed().toArray(Integer[]::new)),
        Arbitraries.integers().between(1, 0xFF_FFFF));
  }

  @Property(tries = 300)
  void unsupportedEscapedObjectTypes_areRefusedNamingTheType(
      @ForAll @IntRange(min = 32, max = 95) int audioObjectType,
      @ForAll @Size(max = 8) List<Byte> rest) {
    if (audioObjectType == 39) {
      return;
    }
    BitWriter w = new BitWriter();
    AscFields.writeAot(w, audioObjectType);
    w.writeBits(3, 4).writeBits(2, 4);
    for (byte b : rest) {
      w.writeBits(b & 0xFF, 8);
    }

    LivemuxException e =
        assertThrows(
            LivemuxException.class,
            () -> AudioSpecificConfig.parse(ByteBuffer.wrap(w.alignWithZeros().toByteArray())));

    assertTrue(e.getMessage().contains("audioObjectType " + audioObjectType), e.getMessage());
  }

  @Property(tries = 1500)
  void randomBytes_endInConfigOrLivemuxException(@ForAll @Size(max = 24) byte[] data) {
    assertParsesOrRefuses(data);
  }

  @Property(tries = 1000)
  void mutatedValidConfigs_endInConfigOrLivemuxException(
      @ForAll("ascFields") AscFields fields,
      @ForAll @Size(max = 3) List<@IntRange(min = 0, max = 63) Integer> bitFlips,
      @ForAll @IntRange(min = 0, max = 16) int cut) {
    byte[] data = fields.encode();
    for (int bit : bitFlips) {
      data[(bit / 8) % data.length] ^= (byte) (0x80 >>> (bit % 8));
    }
    if (cut < data.length && cut % 2 == 1) {
      data = Arrays.copyOf(data, cut);
    }
    assertParsesOrRefuses(data);
  }

  private static void assertParsesOrRefuses(byte[] data) {
    // No hang, whatever the bytes say: a parse that loops or waits fails here instead.
    assertTimeoutPreemptively(
        Duration.ofSeconds(2), () -> parseOrRefuse(data), () -> "on " + Arrays.toString(data));
  }

  private static void parseOrRefuse(byte[] data) {
    ByteBuffer buffer = ByteBuffer.wrap(data);
    try {
      AudioSpecificConfig config = AudioSpecificConfig.parse(buffer);
      // Whatever parses must describe itself consistently and survive its own encoding.
      assertTrue(
          config.sampleRateHz() > 0 && config.channelCount() > 0 && config.samplesPerFrame() > 0);
      assertEquals(config, AudioSpecificConfig.parse(ByteBuffer.wrap(config.toBytes())));
    } catch (LivemuxException expected) {
      // refused: fine
    }
    assertEquals(0, buffer.position());
  }
}
