package dev.nnsdk;

import java.util.Locale;

/**
 * Where a model runs: the CPU, or one GPU by index.
 *
 * <pre>{@code
 * Device.cpu();          // the default
 * Device.gpu(0);         // first CUDA device
 * Device.parse("gpu:1"); // as the CLI's --device option spells it
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class Device {

    /** The kind of processor. */
    public enum Type { CPU, GPU }

    private static final Device CPU = new Device(Type.CPU, -1);

    private final Type type;
    private final int index;

    private Device(Type type, int index) {
        this.type = type;
        this.index = index;
    }

    /** The host CPU. */
    public static Device cpu() {
        return CPU;
    }

    /** The CUDA GPU with the given index (0-based). */
    public static Device gpu(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("GPU index must be >= 0, got " + index);
        }
        return new Device(Type.GPU, index);
    }

    /**
     * Parses {@code cpu}, {@code gpu} (meaning {@code gpu:0}) or {@code gpu:N}.
     *
     * @throws IllegalArgumentException naming the accepted forms when {@code text} is none of them
     */
    public static Device parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("cpu")) {
            return CPU;
        }
        if (t.equals("gpu") || t.equals("cuda")) {
            return gpu(0);
        }
        int colon = t.indexOf(':');
        String kind = colon > 0 ? t.substring(0, colon) : "";
        if (kind.equals("gpu") || kind.equals("cuda")) {
            try {
                return gpu(Integer.parseInt(t.substring(colon + 1)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("Unknown device '" + text + "': expected cpu, gpu or gpu:N");
    }

    public Type type() {
        return type;
    }

    /** The GPU index, or -1 for the CPU. */
    public int index() {
        return index;
    }

    public boolean isGpu() {
        return type == Type.GPU;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Device)) {
            return false;
        }
        Device d = (Device) o;
        return d.type == type && d.index == index;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + index;
    }

    /** {@code cpu} or {@code gpu:N}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "gpu:" + index;
    }
}
