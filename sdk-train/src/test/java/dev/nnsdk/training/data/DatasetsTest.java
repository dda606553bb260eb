package dev.nnsdk.training.data;

import dev.nnsdk.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {

    @Test
    void readsGzippedJsonLinesAndQuotedCsv(@TempDir Path tmp) throws Exception {
        Path gz = tmp.resolve("d.jsonl.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write("{\"text\":\"héllo\",\"label\":\"a\"}\n\n{\"text\":\"x\",\"label\":1}\n".getBytes(StandardCharsets.UTF_8));
        }
        TextDataset d = Datasets.read(gz);
        assertEquals(2, d.size());
        assertEquals("héllo", d.examples().get(0).text());
        assertEquals("1", d.examples().get(1).label());
        assertEquals(gz + ":3", d.examples().get(1).source());

        Path csv = Files.write(tmp.resolve("d.csv"), "id,text,label\n1,\"a, \"\"quoted\"\"\nline\",pos\n2,b,neg\n"
                .getBytes(StandardCharsets.UTF_8));
        TextDataset c = Datasets.read(csv);
        assertEquals(Arrays.asList("a, \"quoted\"\nline", "b"), c.texts());
        assertEquals(Arrays.asList("neg", "pos"), c.labels());
    }

    @Test
    void errorsNameFileLineAndField(@TempDir Path tmp) throws Exception {
        Path j = Files.write(tmp.resolve("e.jsonl"), "{\"text\":\"a\",\"label\":\"x\"}\n{\"label\":\"y\"}\n".getBytes(StandardCharsets.UTF_8));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.read(j));
        assertEquals(j + ": line 2 has no field 'text'", e.getMessage());
        Path bad = Files.write(tmp.resolve("b.jsonl"), "{\"text\":\"a\",\"label\":\"x\"}\nnot json\n".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(InvalidInputException.class, () -> Datasets.read(bad));
        assertTrue(e.getMessage().startsWith(bad + ": line 2 is not valid JSON"), e.getMessage());
        Path csv = Files.write(tmp.resolve("c.csv"), "body,label\na,x\n".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(InvalidInputException.class, () -> Datasets.read(csv));
        assertTrue(e.getMessage().contains("has no column 'text'"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Datasets.read(tmp.resolve("missing.jsonl")));
    }

    @Test
    void stratifiedSplitKeepsLabelSharesAndIsSeeded() {
        java.util.List<String> texts = new java.util.ArrayList<String>();
        java.util.List<String> labels = new java.util.ArrayList<String>();
        for (int i = 0; i < 100; i++) {
            texts.add("t" + i);
            labels.add(i < 80 ? "a" : "b");
        }
        TextDataset d = TextDataset.of("mem", texts, labels);
        TextDataset.Split s = d.stratifiedSplit(0.25, 1);
        assertEquals(20, s.validation().counts().get("a"));
        assertEquals(5, s.validation().counts().get("b"));
        assertEquals(s.validation().texts(), d.stratifiedSplit(0.25, 1).validation().texts());
        assertEquals(10, d.stratifiedSample(10, 3).size());
        assertEquals(8, d.stratifiedSample(10, 3).counts().get("a"));
    }

    /**
     * Issue 15 item 8: a sample is named as a sample of its source (not "(validation part)", a split the user never
     * asked for), and a source sorted by label gives a sample whose labels are mixed, not grouped.
     */
    @Test
    void aStratifiedSampleIsNamedAsASampleAndMixesTheLabels() {
        java.util.List<String> texts = new java.util.ArrayList<String>();
        java.util.List<String> labels = new java.util.ArrayList<String>();
        for (int i = 0; i < 200; i++) {
            texts.add("t" + i);
            labels.add(i < 100 ? "neg" : "pos");                  // sorted by label, as the IMDB file is
        }
        TextDataset sample = TextDataset.of("reviews.jsonl", texts, labels).stratifiedSample(40, 42);
        assertEquals("reviews.jsonl (sample of 40)", sample.name());
        assertFalse(sample.name().contains("part"), sample.name());
        int switches = 0;
        for (int i = 1; i < sample.size(); i++) {
            if (!sample.examples().get(i).label().equals(sample.examples().get(i - 1).label())) {
                switches++;
            }
        }
        assertTrue(switches >= 5, "labels grouped in the sample: " + switches + " label changes in 40 examples");
    }
}
