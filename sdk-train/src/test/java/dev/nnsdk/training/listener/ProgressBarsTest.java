package dev.nnsdk.training.listener;

import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 15 item 5: progress in logs is plain lines (no \r garbage, no repeated final line) and fits 80 columns. */
class ProgressBarsTest {

    @Test
    void logModeWritesPlainLinesThatFit80ColumnsAndNeverRepeat() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressBar bar = ProgressBars.create("train", 180, " steps", err, false)) {
            for (int i = 1; i <= 180; i++) {
                bar.stepTo(i);
                bar.setExtraMessage("ep " + (i / 9 + 1) + " loss 0.403 val acc 0.767");
            }
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r"), out);
        List<String> lines = Arrays.asList(out.split("\n"));
        assertFalse(lines.isEmpty());
        for (String l : lines) {
            assertTrue(l.length() <= 80, "longer than 80 columns: " + l);
            assertTrue(l.matches(".*\\[[=>\\- ]{5,}\\].*"), "the bar itself is visible at 80 columns: " + l);
        }
        assertEquals(lines.size(), lines.stream().distinct().count(), "a line printed twice: " + out);
        assertTrue(lines.get(lines.size() - 1).contains("180/180"), out);
    }
}
