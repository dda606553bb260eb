package dev.nnsdk.training.internal;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.djl.training.TorchScriptClassifier.NamedState;
import dev.nnsdk.io.Checksums;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary part of a backbone-training checkpoint: every trained tensor's value and Adam moments (and, with early
 * stopping, the kept epoch's values), too large for {@code checkpoint.json}. Format {@code NNBS} version 1, big-endian
 * header fields (Java {@code DataOutputStream}), float data little-endian:
 * {@code "NNBS", int32 version, int32 sections}, then per section {@code int32 tensors} and per tensor
 * {@code UTF name, int32 length, int32 arrays (1 or 3), float32[length] per array}. Section 0 is the current state
 * (value, moment 1, moment 2), section 1 (optional) the kept epoch's values. Written to a temporary file, synced,
 * then renamed; {@code checkpoint.json} names the file and its SHA-256, and is replaced only after the file is complete,
 * so a kill at any moment leaves a consistent pair.
 */
final class BackboneState {
    private static final int MAGIC = 0x4E4E4253;   // "NNBS"
    private static final int VERSION = 1;

    final List<NamedState> current;
    /** Kept epoch's values (moments unused), or {@code null}. */
    final List<NamedState> kept;

    BackboneState(List<NamedState> current, List<NamedState> kept) {
        this.current = current;
        this.kept = kept;
    }

    /** Writes {@code dir/name} atomically and returns its SHA-256. */
    String write(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(name + ".part");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeInt(kept == null ? 1 : 2);
                section(out, current, true);
                if (kept != null) {
                    section(out, kept, false);
                }
            }
            Checkpoints.fsync(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return Checksums.sha256(target);
    }

    private static void section(DataOutputStream out, List<NamedState> tensors, boolean moments) throws IOException {
        out.writeInt(tensors.size());
        for (NamedState t : tensors) {
            out.writeUTF(t.name);
            out.writeInt(t.value.length);
            out.writeInt(moments ? 3 : 1);
            floats(out, t.value);
            if (moments) {
                floats(out, t.moment1);
                floats(out, t.moment2);
            }
        }
    }

    private static void floats(OutputStream out, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * 65536).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; i += 65536) {
            int n = Math.min(65536, v.length - i);
            b.clear();
            b.asFloatBuffer().put(v, i, n);
            out.write(b.array(), 0, 4 * n);
        }
    }

    /** Reads {@code file}, checking its SHA-256 first. */
    static BackboneState read(Path file, String sha256) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("Checkpoint " + file.getParent() + " names the backbone state " + file.getFileName()
                    + ", which is missing; delete the checkpoint directory to train from scratch");
        }
        try {
            dev.nnsdk.io.Checksums.verify(file, sha256);
        } catch (RuntimeException e) {
            throw new InvalidInputException("Backbone state " + file + " is damaged (" + e.getMessage()
                    + "); delete the checkpoint directory to train from scratch");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new InvalidInputException(file + " is not an nnsdk backbone state (NNBS version 1)");
            }
            int sections = in.readInt();
            if (sections < 1 || sections > 2) {
                throw new InvalidInputException(file + ": bad section count " + sections);
            }
            List<NamedState> current = section(in, file);
            List<NamedState> kept = sections == 2 ? section(in, file) : null;
            return new BackboneState(current, kept);
        } catch (EOFException e) {
            throw new InvalidInputException(file + " is truncated; delete the checkpoint directory to train from scratch");
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    private static List<NamedState> section(DataInputStream in, Path file) throws IOException {
        int n = in.readInt();
        long left = Files.size(file);
        if (n < 0 || n > 100_000) {
            throw new InvalidInputException(file + ": bad tensor count " + n);
        }
        List<NamedState> out = new ArrayList<NamedState>(n);
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            int len = in.readInt();
            int arrays = in.readInt();
            if (len < 0 || (arrays != 1 && arrays != 3) || 4L * len * arrays > left) {
                throw new InvalidInputException(file + ": tensor " + name + " has a bad size (" + len + " x " + arrays + ")");
            }
            float[] v = floats(in, len);
            float[] m1 = arrays == 3 ? floats(in, len) : null;
            float[] m2 = arrays == 3 ? floats(in, len) : null;
            out.add(new NamedState(name, v, m1, m2));
        }
        return out;
    }

    private static float[] floats(InputStream in, int len) throws IOException {
        float[] v = new float[len];
        byte[] buf = new byte[4 * 65536];
        for (int i = 0; i < len; i += 65536) {
            int n = Math.min(65536, len - i);
            int read = 0;
            while (read < 4 * n) {
                int r = in.read(buf, read, 4 * n - read);
                if (r < 0) {
                    throw new EOFException();
                }
                read += r;
            }
            ByteBuffer.wrap(buf, 0, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v, i, n);
        }
        return v;
    }
}
