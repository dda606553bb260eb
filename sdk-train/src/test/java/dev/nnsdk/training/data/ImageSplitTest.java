package dev.nnsdk.training.data;

import dev.nnsdk.image.Image;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageSplitTest {

    /** 50 "a", 30 "b", 20 "c" one-pixel images, each distinct. */
    static ImageDataset dataset() {
        List<ImageExample> ex = new ArrayList<ImageExample>();
        int i = 0;
        for (String label : new String[] {"b", "a", "c"}) {
            int n = label.equals("a") ? 50 : label.equals("b") ? 30 : 20;
            for (int k = 0; k < n; k++, i++) {
                ex.add(ImageExample.ofImage(label, Image.fromGray(2, 1, new byte[] {(byte) i, (byte) (i >> 8)}).withSource("img" + i)));
            }
        }
        return new ImageDataset("mem", ex);
    }

    private static List<String> sources(ImageDataset d) {
        List<String> s = new ArrayList<String>();
        for (ImageExample e : d.examples()) {
            s.add(e.source());
        }
        return s;
    }

    @Test
    void stratifiedSplitKeepsSharesAndIsSeeded() {
        ImageDataset d = dataset();
        assertEquals(Arrays.asList("a", "b", "c"), d.labels());
        ImageDataset.Split s = d.stratifiedSplit(0.2, 42);
        assertEquals(Arrays.asList(10, 6, 4), new ArrayList<Integer>(s.validation().counts().values()));
        assertEquals(Arrays.asList(40, 24, 16), new ArrayList<Integer>(s.train().counts().values()));
        Set<String> all = new HashSet<String>(sources(s.train()));
        all.addAll(sources(s.validation()));
        assertEquals(100, all.size(), "a partition");
        assertEquals(sources(s.validation()), sources(d.stratifiedSplit(0.2, 42).validation()));
        assertNotEquals(sources(s.validation()), sources(d.stratifiedSplit(0.2, 43).validation()));
        assertNotEquals(d.sha256(), s.train().sha256());
        assertEquals(d.sha256(), dataset().sha256());
    }

    @Test
    void stratifiedSampleAndFirst() {
        ImageDataset d = dataset();
        ImageDataset sample = d.stratifiedSample(50, 7);
        assertEquals(Arrays.asList(25, 15, 10), new ArrayList<Integer>(sample.counts().values()));
        assertEquals(sources(sample), sources(d.stratifiedSample(50, 7)));
        assertSame(d, d.stratifiedSample(100, 7));
        ImageDataset first = d.first(35);
        assertEquals(35, first.size());
        assertEquals(Arrays.asList("a", "b"), first.labels());
        assertEquals(sources(d).subList(0, 35), sources(first));
        assertSame(d, d.first(1000));
        ImageDataset one = d.stratifiedSplit(0.5, 1).validation();
        assertTrue(one.size() == 50);
    }
}
