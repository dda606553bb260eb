package dev.nnsdk.djl;

import dev.nnsdk.ModelLoadException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks, in Java and before any native call, that a file is a complete TorchScript archive:
 * a zip file (TorchScript's container) whose central directory is intact and which holds the
 * pickled module ({@code data.pkl}) and its code. A truncated download, random bytes or an
 * ONNX file is refused here with a message naming the file, so libtorch never parses it.
 */
final class TorchScriptFiles {

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private TorchScriptFiles() {
    }

    static void check(Path file) {
        String where = file.toAbsolutePath().toString();
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read TorchScript model file " + where + ": " + e.getMessage(), e);
        }
        if (n < 4 || head[0] != ZIP_MAGIC[0] || head[1] != ZIP_MAGIC[1] || head[2] != ZIP_MAGIC[2]
                || head[3] != ZIP_MAGIC[3]) {
            throw new ModelLoadException("TorchScript model file " + where + " is not a TorchScript archive (a .pt file"
                    + " saved by torch.jit.save is a zip file" + (looksLikeOnnx(file) ? "; this looks like an ONNX file,"
                    + " load it with the onnx engine" : "") + ")");
        }
        boolean data = false;
        boolean code = false;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                data |= name.endsWith("/data.pkl");
                code |= name.contains("/code/");
            }
        } catch (IOException e) {
            throw new ModelLoadException("TorchScript model file " + where + " is truncated or corrupt (its zip"
                    + " directory cannot be read: " + e.getMessage() + "); download or export it again", e);
        }
        if (!data || !code) {
            throw new ModelLoadException("TorchScript model file " + where + " is a zip file but not a TorchScript module"
                    + " (no " + (data ? "code/ folder" : "data.pkl") + "); save the model with torch.jit.trace or"
                    + " torch.jit.script and torch.jit.save");
        }
    }

    /** ONNX files are protobufs that start with the ir_version field (tag 0x08). */
    private static boolean looksLikeOnnx(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".onnx")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x08;
        } catch (IOException e) {
            return false;
        }
    }
}
