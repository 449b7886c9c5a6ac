package io.livemux.codec.aac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * Our codebooks and band tables against an independent source we did not write: the tables of JAAD,
 * the AAC decoder inside JCodec (read by reflection: {@code {length, codeword, values...}} rows).
 */
class CodebooksTest {
  private static Object jaad(String className, String field) throws Exception {
    Class<?> type = Class.forName(className);
    Field f = type.getDeclaredField(field);
    f.setAccessible(true);
    return f.get(null);
  }

  @Test
  void everySpectrumCodebook_matchesJcodecEntryByEntry() throws Exception {
    for (int book = 1; book <= 11; book++) {
      int[][] theirs = (int[][]) jaad("net.sourceforge.jaad.aac.huffman.Codebooks", "HCB" + book);
      int[] ours = Codebooks.spectrum(book);
      assertEquals(ours.length, theirs.length, "entries of book " + book);
      boolean unsigned = Codebooks.UNSIGNED[book];
      int lav = Codebooks.LARGEST_ABS_VALUE[book];
      int modulus = unsigned ? lav + 1 : 2 * lav + 1;
      int offset = unsigned ? 0 : lav;
      boolean[] seen = new boolean[ours.length];
      for (int[] row : theirs) {
        int index = 0;
        for (int d = 2; d < row.length; d++) {
          index = index * modulus + row[d] + offset;
        }
        assertEquals(Codebooks.DIMENSION[book], row.length - 2, "dimension of book " + book);
        String where = "book " + book + " index " + index;
        assertEquals(row[0], Codebooks.length(ours[index]), "length, " + where);
        assertEquals(row[1], Codebooks.codeword(ours[index]), "codeword, " + where);
        seen[index] = true;
      }
      for (int i = 0; i < seen.length; i++) {
        assertTrue(seen[i], "book " + book + " index " + i + " not in JCodec's table");
      }
    }
  }

  @Test
  void scalefactorCodebook_matchesJcodecEntryByEntry() throws Exception {
    int[][] theirs = (int[][]) jaad("net.sourceforge.jaad.aac.huffman.Codebooks", "HCB_SF");
    int[] ours = Codebooks.scalefactor();
    assertEquals(121, ours.length);
    assertEquals(121, theirs.length);
    boolean[] seen = new boolean[121];
    for (int[] row : theirs) {
      int index = row[2];
      assertEquals(row[0], Codebooks.length(ours[index]), "length of sf index " + index);
      assertEquals(row[1], Codebooks.codeword(ours[index]), "codeword of sf index " + index);
      seen[index] = true;
    }
    for (int i = 0; i < 121; i++) {
      assertTrue(seen[i], "sf index " + i);
    }
  }

  @Test
  void everyCodebook_isACompletePrefixCode() {
    for (int book = 0; book <= 11; book++) {
      int[] entries = book == 0 ? Codebooks.scalefactor() : Codebooks.spectrum(book);
      // Kraft sum exactly 1: complete; and no codeword is a prefix of another: prefix-free.
      BigInteger kraft = BigInteger.ZERO;
      for (int e : entries) {
        kraft = kraft.add(BigInteger.ONE.shiftLeft(32 - Codebooks.length(e)));
      }
      assertEquals(BigInteger.ONE.shiftLeft(32), kraft, "Kraft sum of book " + book);
      for (int a : entries) {
        for (int b : entries) {
          if (a == b) {
            continue;
          }
          int la = Codebooks.length(a);
          int lb = Codebooks.length(b);
          if (la <= lb) {
            assertTrue(
                (Codebooks.codeword(b) >>> (lb - la)) != Codebooks.codeword(a),
                "book " + book + ": " + Integer.toHexString(a) + " prefixes "
                    + Integer.toHexString(b));
          }
        }
      }
    }
  }

  @Test
  void scalefactorBands_matchJcodecForEveryRate() throws Exception {
    String type = "net.sourceforge.jaad.aac.syntax.ScaleFactorBands";
    int[][] longTables = (int[][]) jaad(type, "SWB_OFFSET_LONG_WINDOW");
    int[][] shortTables = (int[][]) jaad(type, "SWB_OFFSET_SHORT_WINDOW");
    int[] longCounts = (int[]) jaad(type, "SWB_LONG_WINDOW_COUNT");
    int[] shortCounts = (int[]) jaad(type, "SWB_SHORT_WINDOW_COUNT");
    for (int index = 3; index <= 11; index++) {
      ScalefactorBands ours = ScalefactorBands.forIndex(index);
      assertEquals(longCounts[index], ours.longCount(), "long bands at index " + index);
      assertEquals(shortCounts[index], ours.shortCount(), "short bands at index " + index);
      assertOffsets(longTables[index], ours.longOffsets(), 1024, "long, index " + index);
      assertOffsets(shortTables[index], ours.shortOffsets(), 128, "short, index " + index);
    }
  }

  private static void assertOffsets(int[] theirs, int[] ours, int end, String what) {
    int count = ours.length - 1;
    for (int i = 0; i < count; i++) {
      assertEquals(theirs[i], ours[i], what + " band " + i);
    }
    if (theirs.length > count) {
      assertEquals(theirs[count], ours[count], what + " end");
    }
    assertEquals(end, ours[count], what + " end");
  }
}
