package dev.nnsdk.recommend;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.training.recommend.Interactions;
import dev.nnsdk.training.recommend.ItemCatalog;
import dev.nnsdk.training.recommend.LeaveOneOut;
import dev.nnsdk.training.recommend.RankingMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protocol correctness on a small synthetic dataset (hand-checkable HR/NDCG) and input handling. */
class RecommendationDataTest {
    @TempDir
    Path tmp;

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    /** 120 items i0..i119; filler user f has i10..i119; a, b, c, d as described in the test. */
    private LeaveOneOut synthetic(long seed) throws IOException {
        StringBuilder r = new StringBuilder("userId,itemId,rating,timestamp\n");
        for (int i = 10; i < 120; i++) {
            r.append("f,i").append(i).append(",4,").append(i).append('\n');
        }
        r.append("a,i0,5,1\na,i1,3,2\na,i2,4,3\n");     // test i2, validation i1, train i0
        r.append("b,i3,5,5\nb,i4,5,5\n");               // same time: the later row (i4) is the test item
        r.append("c,i5,5,9\nc,i6,5,10\nc,i7,5,11\n");
        r.append("e,i8,5,1\n");                          // one interaction: no test item
        Map<String, String> texts = new LinkedHashMap<String, String>();
        for (int i = 0; i < 120; i++) {
            texts.put("i" + i, "Item " + i);
        }
        return LeaveOneOut.split(Interactions.csv(write("r.csv", r.toString())), ItemCatalog.of(texts), seed);
    }

    private static int user(LeaveOneOut s, String id) {
        for (int u = 0; u < s.users(); u++) {
            if (s.userId(u).equals(id)) {
                return u;
            }
        }
        throw new AssertionError(id);
    }

    private static int item(LeaveOneOut s, String id) {
        for (int i = 0; i < s.items(); i++) {
            if (s.itemId(i).equals(id)) {
                return i;
            }
        }
        throw new AssertionError(id);
    }

    @Test
    void leaveOneOutHoldsOutTheLatestAndSamplesUnseenNegatives() throws IOException {
        LeaveOneOut s = synthetic(42);
        int a = user(s, "a");
        int b = user(s, "b");
        assertEquals(item(s, "i2"), s.testItem(a));
        assertEquals(item(s, "i1"), s.validationItem(a));
        assertArrayEquals(new int[] {item(s, "i0")}, s.trainItems(a));
        assertEquals(item(s, "i4"), s.testItem(b), "timestamp tie: the later row is the latest");
        assertEquals(-1, s.validationItem(b));
        assertEquals(-1, s.testItem(user(s, "e")));
        Set<Integer> interacted = new HashSet<Integer>();
        for (int u = 0; u < s.users(); u++) {
            for (int i : s.allItems(u)) {
                interacted.add(i);
            }
        }
        for (int u = 0; u < s.users(); u++) {
            int[] neg = s.testNegatives(u);
            if (s.testItem(u) < 0) {
                assertNull(neg);
                continue;
            }
            Set<Integer> distinct = new HashSet<Integer>();
            Set<Integer> own = new HashSet<Integer>();
            for (int i : s.allItems(u)) {
                own.add(i);
            }
            // 100, or every interacted item the user lacks when there are fewer (user f: 119 - 110 = 9)
            assertEquals(Math.min(LeaveOneOut.NEGATIVES, interacted.size() - own.size()), neg.length);
            for (int n : neg) {
                assertTrue(distinct.add(n), "negatives are distinct");
                assertFalse(own.contains(n), "a negative is never an item the user has");
            }
        }
        LeaveOneOut again = synthetic(42);
        assertArrayEquals(s.testNegatives(a), again.testNegatives(a), "seeded: the same negatives");
        assertFalse(Arrays.equals(s.testNegatives(a), synthetic(7).testNegatives(a)), "another seed, other negatives");
    }

    @Test
    void hitRatioAndNdcgAreHandCheckable() throws IOException {
        final LeaveOneOut s = synthetic(42);
        final int a = user(s, "a");
        final int b = user(s, "b");
        final int c = user(s, "c");
        final int f = user(s, "f");
        // a: 3 negatives above the positive -> rank 3 -> HR 1, NDCG 1/log2(5)
        // b: 12 negatives above -> HR 0
        // c: 9 above and 1 tie -> rank 9 or 10 with equal chance -> HR 1/2, NDCG (1/log2(11))/2
        // f: the positive on top of its 9 negatives -> HR 1, NDCG 1
        final Map<Integer, int[]> neg = new LinkedHashMap<Integer, int[]>();
        for (int u : new int[] {a, b, c, f}) {
            neg.put(u, s.testNegatives(u));
        }
        LeaveOneOut.Scorer sc = (u, i) -> {
            if (i == s.testItem(u)) {
                return 0.5f;
            }
            int pos = indexOf(neg.get(u), i);
            int above = u == a ? 3 : u == b ? 12 : u == c ? 9 : 0;
            if (pos < above) {
                return 1f;
            }
            return u == c && pos == above ? 0.5f : 0f;
        };
        RankingMetrics m = s.evaluate(sc, false, 10);
        assertEquals(4, m.users());
        double log2 = Math.log(2);
        assertEquals((1 + 0 + 0.5 + 1) / 4.0, m.hitRatio(), 1e-9);
        assertEquals((log2 / Math.log(5) + 0 + 0.5 * log2 / Math.log(11) + 1) / 4.0, m.ndcg(), 1e-9);
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void nonNumericRatingNamesFileLineAndField() throws IOException {
        Path p = write("bad.csv", "userId,movieId,rating,timestamp\n1,10,4.0,5\n1,11,abc,6\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Interactions.csv(p));
        assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("line 3")
                && e.getMessage().contains("'rating'"), e.getMessage());
        Path t = write("badtime.csv", "userId,movieId,rating,timestamp\n1,10,4.0,yesterday\n");
        e = assertThrows(InvalidInputException.class, () -> Interactions.csv(t));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("'timestamp'"), e.getMessage());
        Path h = write("nohdr.csv", "a,b\n1,2\n");
        e = assertThrows(InvalidInputException.class, () -> Interactions.csv(h));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void duplicatesMergeThresholdFiltersAndGzipIsRead() throws IOException {
        Path p = tmp.resolve("r.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(("userId,movieId,rating,timestamp\n1,10,2.0,5\n1,10,5.0,9\n1,11,3.5,6\n2,10,1.0,7\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Interactions all = Interactions.csv(p);
        assertEquals(3, all.size());
        assertEquals(1, all.duplicates());
        assertEquals(5.0, all.rating(0), 0, "the latest duplicate row wins");
        assertEquals(9, all.timestamp(0));
        Interactions liked = Interactions.csv(p, 3.5);
        assertEquals(2, liked.size());
        assertEquals(2, liked.belowThreshold());
    }

    @Test
    void itemCsvQuotingEmptyTextsAndUnknownItems() throws IOException {
        Path items = write("items.csv", "movieId,title,genres\n"
                + "1,\"Movie, The \"\"Quoted\"\" (1999)\",Drama|Comedy\n"
                + "2,,(no genres listed)\n"
                + "3,,Horror\n");
        ItemCatalog c = ItemCatalog.csv(items, "title", "genres");
        assertEquals("Movie, The \"Quoted\" (1999). Genres: Drama, Comedy", c.texts().get("1"));
        assertEquals("", c.texts().get("2"));
        assertEquals("Genres: Horror", c.texts().get("3"));
        assertEquals(1, c.emptyTexts());
        Path r = write("r.csv", "userId,movieId\n1,1\n1,2\n1,99\n2,3\n");
        LeaveOneOut s = LeaveOneOut.split(Interactions.csv(r), c, 1);
        assertEquals(1, s.unknownItemRows(), "the interaction with unknown item 99 is dropped and counted");
        assertNotNull(s.userId(0));
        Path dup = write("dup.csv", "itemId,title\n1,A\n1,B\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ItemCatalog.csv(dup));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("line 2"), e.getMessage());
    }
}
