package dev.nnsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImageDecoder;
import dev.nnsdk.image.ImagePreprocessor;
import dev.nnsdk.repository.ImageSpec;
import dev.nnsdk.repository.ModelRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every image preprocessing mode against PyTorch/PIL on real photos: {@code src/test/python/make_preprocess_references.py}
 * wrote each case's {@code image} section (model.json schema) and the tensor PyTorch computes ({@code F.interpolate}
 * without antialiasing, torchvision's crop arithmetic, PIL's grey-to-RGB). Here the same section goes through a real
 * {@code model.json}, the photo through the SDK's decoder, and the output must match within 1e-4 per value.
 */
class PreprocessReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void everyModeMatchesPyTorch() throws Exception {
        Path dir = Paths.get(PreprocessReferenceTest.class.getResource("/preprocess").toURI());
        Path images = Paths.get(PreprocessReferenceTest.class.getResource("/images").toURI());
        JsonNode cases = JSON.readTree(dir.resolve("cases.json").toFile()).get("cases");
        assertTrue(cases.size() >= 13);
        StringBuilder report = new StringBuilder();
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            ObjectNode model = JSON.createObjectNode();
            model.put("id", name).put("task", "image-classification");
            model.putObject("artifacts").put("onnx", "model.onnx");
            model.set("image", c.get("image"));
            Path md = tmp.resolve(name);
            Files.createDirectories(md);
            Files.write(md.resolve("model.json"), JSON.writeValueAsBytes(model));
            ImageSpec spec = ModelRepository.resolve(md).image();
            String photo = c.get("photo").asText();
            Image im = ImageDecoder.get().decode(photo.equals("dog-grey.png") ? dir.resolve(photo) : images.resolve(photo));
            float[] got = new ImagePreprocessor(spec).apply(im);
            byte[] raw = Files.readAllBytes(dir.resolve(name + ".bin"));
            java.nio.FloatBuffer want = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            assertEquals(c.get("values").asInt(), got.length, name);
            assertEquals(want.remaining(), got.length, name);
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - want.get(i)));
            }
            report.append(String.format("%-38s max |SDK - PyTorch| = %.2e%n", name, worst));
            assertTrue(worst <= 1e-4, name + ": max abs diff " + worst);
        }
        System.out.print(report);
    }
}
