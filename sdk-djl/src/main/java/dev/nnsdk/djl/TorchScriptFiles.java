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
 *
 * <p>The entries' declared sizes are checked too, before libtorch reads (and allocates for) them:
 * {@code torch.jit.save} stores its entries uncompressed, so together they cannot hold more than
 * {@value #MAX_RATIO} times the file's size; an entry that inflates beyond that (a 2 MB file whose
 * entry declares 2 GiB cost 2.3 GB of memory inside libtorch) is refused naming the entry.
 */
final class TorchScriptFiles {

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    /** Largest total of the entries' uncompressed sizes, as a multiple of the file size. */
    static final long MAX_RATIO = 4;

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
            long fileSize = Math.max(1, Files.size(file));
            long total = 0;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                long size = e.getSize();
                if (size < 0 || size > MAX_RATIO * fileSize || (total += size) > MAX_RATIO * fileSize) {
                    throw new ModelLoadException("TorchScript model file " + where + ": entry '" + name + "' declares "
                            + (size < 0 ? "no size" : size + " bytes") + (size >= 0 && size <= MAX_RATIO * fileSize
                            ? " (" + total + " in total)" : "") + ", more than " + MAX_RATIO + " times the file's "
                            + fileSize + " bytes (torch.jit.save stores entries uncompressed); refusing to load it");
                }
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
