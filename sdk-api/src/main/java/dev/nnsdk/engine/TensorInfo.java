package dev.nnsdk.engine;

import java.util.Arrays;

/** What a model declares about one input or output: its name, type and shape (-1 for a dynamic dimension). */
public final class TensorInfo {
    private final String name;
    private final DataType type;
    private final long[] shape;

    public TensorInfo(String name, DataType type, long[] shape) {
        this.name = name;
        this.type = type;
        this.shape = shape == null ? null : shape.clone();
    }

    public String name() {
        return name;
    }

    /** The element type, or {@code null} when the engine does not know it (TorchScript). */
    public DataType dataType() {
        return type;
    }

    /** The declared shape with -1 for dynamic dimensions, or {@code null} when unknown. */
    public long[] shape() {
        return shape == null ? null : shape.clone();
    }

    @Override
    public String toString() {
        return name + ":" + type + (shape == null ? "[?]" : Arrays.toString(shape));
    }
}
