package dev.nnsdk.it;

import dev.nnsdk.engine.ModelFormat;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Model directories with something wrong, for the bad-input tests of the API and the CLI. */
final class BrokenModels {
    private BrokenModels() {
    }

    static final String ZEROS = "0000000000000000000000000000000000000000000000000000000000000000";

    /** The real MiniLM files (from the SDK cache). */
    static ModelDescriptor miniLm() {
        return ModelRepository.resolve("all-minilm-l6-v2");
    }

    /** A directory with model.json, tokenizer.json and {@code model.onnx} holding {@code onnx} (null: no file). */
    static Path dir(Path parent, String name, byte[] onnx, String sha256) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.copy(miniLm().text().tokenizer().path(), dir.resolve("tokenizer.json"));
        if (onnx != null) {
            Files.write(dir.resolve("model.onnx"), onnx);
        }
        String artifact = sha256 == null ? "\"model.onnx\"" : "{\"source\": \"model.onnx\", \"sha256\": \"" + sha256 + "\"}";
        String json = "{\"id\": \"" + name + "\", \"task\": \"text-embedding\", \"artifacts\": {\"onnx\": " + artifact + "},\n"
                + " \"text\": {\"tokenizer\": \"tokenizer.json\", \"maxLength\": 128}}\n";
        Files.write(dir.resolve("model.json"), json.getBytes(StandardCharsets.UTF_8));
        return dir;
    }

    /** The first {@code n} bytes of the real fp32 ONNX file: a truncated download. */
    static byte[] truncatedOnnx(int n) throws IOException {
        Path real = miniLm().artifacts().get(ModelFormat.ONNX).path();
        byte[] b = new byte[n];
        try (InputStream in = Files.newInputStream(real)) {
            int off = 0;
            while (off < n) {
                int r = in.read(b, off, n - off);
                if (r < 0) {
                    throw new IOException("short file " + real);
                }
                off += r;
            }
        }
        return b;
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }
}
