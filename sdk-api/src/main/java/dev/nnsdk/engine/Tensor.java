package dev.nnsdk.engine;

import dev.nnsdk.InvalidInputException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * An engine-neutral, host-memory tensor: a name, a data type, a shape and the elements in
 * row-major order. Engines copy it into their own native tensors (or wrap it without a copy
 * when it is backed by a direct buffer) and hand results back as new {@code Tensor}s, so no
 * native object ever escapes an engine.
 *
 * <p>Treat instances as immutable: the buffers returned are read-only views.
 */
public final class Tensor {

    private final String name;
    private final DataType type;
    private final long[] shape;
    private final java.nio.Buffer data;

    private Tensor(String name, DataType type, long[] shape, java.nio.Buffer data) {
        long n = elementCount(shape);
        if (n != data.remaining()) {
            throw new InvalidInputException("Tensor '" + name + "' has shape " + Arrays.toString(shape) + " (" + n
                    + " elements) but " + data.remaining() + " values were given");
        }
        this.name = name;
        this.type = type;
        this.shape = shape.clone();
        this.data = data;
    }

    /** A float tensor over {@code values} (not copied: do not change the array afterwards). */
    public static Tensor ofFloats(String name, float[] values, long... shape) {
        return new Tensor(name, DataType.FLOAT32, shape, FloatBuffer.wrap(values));
    }

    /** A float tensor over a buffer from its position to its limit (direct buffers reach the engine without a copy). */
    public static Tensor ofFloats(String name, FloatBuffer values, long... shape) {
        return new Tensor(name, DataType.FLOAT32, shape, values.slice());
    }

    /** An int64 tensor over {@code values} (not copied). */
    public static Tensor ofLongs(String name, long[] values, long... shape) {
        return new Tensor(name, DataType.INT64, shape, LongBuffer.wrap(values));
    }

    /** An int64 tensor over a buffer from its position to its limit. */
    public static Tensor ofLongs(String name, LongBuffer values, long... shape) {
        return new Tensor(name, DataType.INT64, shape, values.slice());
    }

    /** An int32 tensor over {@code values} (not copied). */
    public static Tensor ofInts(String name, int[] values, long... shape) {
        return new Tensor(name, DataType.INT32, shape, IntBuffer.wrap(values));
    }

    /** A uint8 tensor over {@code values} (not copied). */
    public static Tensor ofBytes(String name, byte[] values, long... shape) {
        return new Tensor(name, DataType.UINT8, shape, ByteBuffer.wrap(values));
    }

    /** A direct, native-order float buffer of {@code n} elements, for building inputs engines take without a copy. */
    public static FloatBuffer allocateFloats(int n) {
        return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** A direct, native-order long buffer of {@code n} elements. */
    public static LongBuffer allocateLongs(int n) {
        return ByteBuffer.allocateDirect(n * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    /** The number of elements a shape holds; fails on negative dimensions or more than {@code Integer.MAX_VALUE}. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new InvalidInputException("Tensor shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new InvalidInputException("Tensor shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return n;
    }

    /** The same data under another name. */
    public Tensor withName(String newName) {
        return new Tensor(newName, type, shape, data);
    }

    /** The input or output name, or {@code null} for positional tensors. */
    public String name() {
        return name;
    }

    public DataType dataType() {
        return type;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** Dimension {@code i} of the shape; negative {@code i} counts from the end. */
    public long dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.remaining();
    }

    /** A read-only view of float data. */
    public FloatBuffer floatBuffer() {
        requireType(DataType.FLOAT32);
        return ((FloatBuffer) data).asReadOnlyBuffer();
    }

    /** A read-only view of int64 data. */
    public LongBuffer longBuffer() {
        requireType(DataType.INT64);
        return ((LongBuffer) data).asReadOnlyBuffer();
    }

    /** A read-only view of int32 data. */
    public IntBuffer intBuffer() {
        requireType(DataType.INT32);
        return ((IntBuffer) data).asReadOnlyBuffer();
    }

    /** A read-only view of uint8 data. */
    public ByteBuffer byteBuffer() {
        requireType(DataType.UINT8);
        return ((ByteBuffer) data).asReadOnlyBuffer();
    }

    /** The float data as a new array. */
    public float[] toFloatArray() {
        float[] out = new float[size()];
        floatBuffer().get(out);
        return out;
    }

    /** The int64 data as a new array. */
    public long[] toLongArray() {
        long[] out = new long[size()];
        longBuffer().get(out);
        return out;
    }

    private void requireType(DataType expected) {
        if (type != expected) {
            throw new IllegalStateException("Tensor '" + name + "' holds " + type + ", not " + expected);
        }
    }

    @Override
    public String toString() {
        return "Tensor{" + (name == null ? "" : name + ", ") + type + Arrays.toString(shape) + '}';
    }
}
