package dev.nnsdk.training;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.training.data.Datasets;
import dev.nnsdk.training.data.ImageDataset;
import dev.nnsdk.training.data.TextDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 13: a validation error never blames "validation data" the user did not pass. When the validation
 * examples are a split drawn from the training file, the message names that file and says the split was drawn from
 * it; a label never loses all its examples to the split (so it is never reported as a "validation label" the
 * training data lacks). Each check fails on the code before the change ("Validation data train.jsonl (validation
 * part) has no examples", "train.jsonl:2: validation label 'b' does not occur in the training data [a]").
 */
class ValidationSplitMessagesTest {

    @Test
    void anEmptyValidationSplitNamesTheTrainingFileTheSplitWasDrawnFrom(@TempDir Path tmp) throws Exception {
        Path file = Files.write(tmp.resolve("train.jsonl"), ("{\"text\":\"good\",\"label\":\"pos\"}\n"
                + "{\"text\":\"bad\",\"label\":\"neg\"}\n").getBytes(StandardCharsets.UTF_8));
        TextDataset d = Datasets.read(file);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> FineTuning.textClassification().setTrainingData(d).fit());
        String m = e.getMessage();
        assertTrue(m.startsWith("No validation split can be drawn from " + file + ": every label has a single example"), m);
        assertTrue(m.contains("--valid"), m);
        assertFalse(m.contains("validation part") || m.startsWith("Validation data"), m);
    }

    @Test
    void anEmptyValidationSplitOfImageFoldersNamesTheFolder(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("photos");
        for (String c : Arrays.asList("cat", "dog")) {
            Files.createDirectories(root.resolve(c));
            ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", root.resolve(c).resolve("1.png").toFile());
        }
        ImageDataset d = ImageDataset.read(root);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> FineTuning.imageClassification().setTrainingData(d).fit());
        assertTrue(e.getMessage().startsWith("No validation split can be drawn from " + d.name() + ": "), e.getMessage());
        assertTrue(d.name().contains(root.toString()), d.name());
    }

    @Test
    void passedValidationDataThatIsEmptyIsNamedAsValidationData(@TempDir Path tmp) throws Exception {
        Path train = Files.write(tmp.resolve("train.jsonl"), ("{\"text\":\"good\",\"label\":\"pos\"}\n"
                + "{\"text\":\"bad\",\"label\":\"neg\"}\n").getBytes(StandardCharsets.UTF_8));
        TextDataset empty = TextDataset.of("valid.jsonl", Arrays.<String>asList(), Arrays.<String>asList());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FineTuning.textClassification()
                .setTrainingData(Datasets.read(train)).optValidation(empty).fit());
        assertEquals("Validation data valid.jsonl has no examples", e.getMessage());
    }

    @Test
    void theSplitIsNamedAfterTheUsersFileAndEveryLabelKeepsATrainingExample() {
        TextDataset d = TextDataset.of("reviews.csv", Arrays.asList("a1", "a2", "a3", "a4", "b1"),
                Arrays.asList("a", "a", "a", "a", "b"));
        TextDataset.Split s = d.stratifiedSplit(0.5, 1);
        assertEquals("the validation split (50% of each label) drawn from reviews.csv", s.validation().name());
        assertEquals("reviews.csv (without its validation split)", s.train().name());
        // round(1 * 0.5) = 1 would have moved b's only example to validation, leaving training without 'b'
        assertEquals(1, s.train().counts().get("b").intValue());
        assertEquals(null, s.validation().counts().get("b"));
        assertEquals(2, s.validation().counts().get("a").intValue());
        // a sample is not a split: it may take a label's only example
        assertEquals(3, d.stratifiedSample(3, 1).size());
    }

    @Test
    void aValidationFractionOutsideZeroToOneIsRefusedWhenSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FineTuning.textClassification().optValidation(1.0));
        assertEquals("validation fraction must be in (0, 1), got 1.0", e.getMessage());
    }
}
