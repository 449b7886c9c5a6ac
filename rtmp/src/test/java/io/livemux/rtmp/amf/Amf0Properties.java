package io.livemux.rtmp.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.livemux.codec.Fuzz;
import io.livemux.rtmp.Rejects;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Round trips of random AMF0 value trees, and the decoder on random and mutated bytes. */
class Amf0Properties {
  @Property(tries = 500)
  void encodeThenDecode_isIdentity(@ForAll("values") Object value) throws Exception {
    ByteBuffer encoded = Amf0Encoder.encode(value);
    byte[] first = toArray(encoded);
    ByteBuffer in = ByteBuffer.wrap(first);
    Object decoded = Amf0Decoder.withDefaults().decode(in);
    assertEquals(0, in.remaining(), "one value, all of it");
    assertSameTree(value, decoded, "$");
    // and the decoded tree encodes to the same bytes: nothing was lost or reordered
    assertEquals(ByteBuffer.wrap(first), Amf0Encoder.encode(decoded));
  }

  @Property(tries = 300)
  void randomBytes_decodeOrFailWithRtmpException(@ForAll("randomBytes") byte[] data) {
    Rejects.decodesOrRejects(() -> Amf0Decoder.withDefaults().decodeAll(ByteBuffer.wrap(data)));
  }

  @Property(tries = 1000)
  void mutatedEncodings_decodeOrFailWithRtmpException(@ForAll("mutated") byte[] data) {
    Rejects.decodesOrRejects(
        () -> new Amf0Decoder(Amf0Limits.defaults().withMaxDepth(8).withMaxEntries(64))
            .decodeAll(ByteBuffer.wrap(data)));
  }

  @Provide
  Arbitrary<byte[]> randomBytes() {
    return Fuzz.bytes(200);
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    List<byte[]> seeds = new ArrayList<>();
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("level", "status");
    object.put("code", "NetStream.Publish.Start");
    object.put("list", Arrays.asList(1.0, null, Amf0Undefined.UNDEFINED, Amf0Date.ofEpochMillis(1e12)));
    Amf0EcmaArray ecma = new Amf0EcmaArray();
    ecma.put("width", 1280.0);
    ecma.put("stereo", true);
    ecma.put("nested", object);
    seeds.add(toArray(Amf0Encoder.encode("onStatus", 0.0, null, object)));
    seeds.add(toArray(Amf0Encoder.encode("onMetaData", ecma)));
    seeds.add(toArray(Amf0Encoder.encode(Arrays.asList(Arrays.asList(Arrays.asList(ecma))))));
    return Fuzz.mutationsOf(seeds);
  }

  @Provide
  Arbitrary<Object> values() {
    return value(4);
  }

  private static Arbitrary<Object> value(int depth) {
    Arbitrary<Object> doubles =
        Arbitraries.oneOf(
            Arbitraries.doubles(),
            Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0));
    Arbitrary<Object> strings = Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(40).map(s -> s);
    Arbitrary<Object> longStrings =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(3)
            .map(s -> (Object) repeat(s, 65_536));
    Arbitrary<Object> leaf =
        Arbitraries.frequencyOf(
            Tuple.of(4, doubles),
            Tuple.of(2, Arbitraries.of(true, false).map(b -> b)),
            Tuple.of(4, strings),
            Tuple.of(1, Arbitraries.just(Amf0Undefined.UNDEFINED).map(u -> u)),
            Tuple.of(1, Arbitraries.doubles().map(d -> Amf0Date.ofEpochMillis(d))),
            Tuple.of(1, Arbitraries.integers().between(-32768, 32767)
                .map(tz -> Amf0Date.of(1.7e12, (short) (int) tz))),
            Tuple.of(1, Arbitraries.just(0).map(x -> (Object) null)))
            .map(x -> x);
    Arbitrary<Object> leafOrLong =
        Arbitraries.frequencyOf(Tuple.of(200, leaf), Tuple.of(1, longStrings));
    if (depth == 0) {
      return leafOrLong;
    }
    Arbitrary<Object> child = Arbitraries.lazy(() -> value(depth - 1));
    Arbitrary<String> keys = Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(12);
    Arbitrary<Object> objects =
        Arbitraries.maps(keys, child).ofMaxSize(5).map(m -> (Object) new LinkedHashMap<>(m));
    Arbitrary<Object> ecmas =
        Arbitraries.maps(keys, child).ofMaxSize(5).map(m -> (Object) new Amf0EcmaArray(m));
    Arbitrary<Object> lists = child.list().ofMaxSize(5).map(l -> (Object) l);
    return Arbitraries.frequencyOf(
        Tuple.of(3, leafOrLong), Tuple.of(1, objects), Tuple.of(1, ecmas), Tuple.of(1, lists));
  }

  private static String repeat(String s, int minBytes) {
    StringBuilder b = new StringBuilder();
    while (b.length() < minBytes) {
      b.append(s);
    }
    return b.toString();
  }

  /** Equal values of the same AMF0 kind, maps in the same key order. */
  static void assertSameTree(Object expected, Object actual, String path) {
    if (expected instanceof Map) {
      assertNotNull(actual, path);
      assertEquals(expected instanceof Amf0EcmaArray, actual instanceof Amf0EcmaArray, path + " kind");
      Map<?, ?> e = (Map<?, ?>) expected;
      Map<?, ?> a = (Map<?, ?>) actual;
      assertEquals(new ArrayList<>(e.keySet()), new ArrayList<>(a.keySet()), path + " keys");
      for (Object key : e.keySet()) {
        assertSameTree(e.get(key), a.get(key), path + "." + key);
      }
    } else if (expected instanceof List) {
      List<?> e = (List<?>) expected;
      List<?> a = (List<?>) actual;
      assertEquals(e.size(), a.size(), path + " size");
      for (int i = 0; i < e.size(); i++) {
        assertSameTree(e.get(i), a.get(i), path + "[" + i + "]");
      }
    } else {
      assertEquals(expected, actual, path); // Double.equals: NaN equals NaN, -0.0 is not 0.0
    }
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
