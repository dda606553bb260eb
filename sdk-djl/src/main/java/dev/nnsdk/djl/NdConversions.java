package dev.nnsdk.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.nnsdk.EngineException;
import dev.nnsdk.InvalidInputException;
import dev.nnsdk.engine.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Copies between SDK {@link Tensor}s and DJL {@link NDArray}s: one bulk copy in (into a direct
 * buffer libtorch wraps without another copy) and one bulk copy out (from a direct view of the
 * result's native memory into a Java array), so no native memory outlives the call's scope.
 */
final class NdConversions {

    private NdConversions() {
    }

    /**
     * An NDArray in {@code scope} holding {@code t}'s elements. libtorch allocates the tensor
     * ({@code torch::empty}) and the elements are copied straight into its memory through a direct
     * view, so the call's input lives in native memory that {@code scope.close()} frees at once.
     * (DJL's {@code create(Buffer, ...)} would instead copy into a new direct {@code ByteBuffer} that
     * only the garbage collector frees: under load hundreds of MB of them piled up between
     * collections and left glibc's arenas holding the freed memory, see docs/reliability.md, "Soak".)
     */
    static NDArray toNd(NDManager scope, Tensor t) {
        Shape shape = new Shape(t.shape());
        ai.djl.ndarray.types.DataType type;
        switch (t.dataType()) {
            case FLOAT32: type = ai.djl.ndarray.types.DataType.FLOAT32; break;
            case INT64: type = ai.djl.ndarray.types.DataType.INT64; break;
            case INT32: type = ai.djl.ndarray.types.DataType.INT32; break;
            case UINT8: type = ai.djl.ndarray.types.DataType.UINT8; break;
            default: throw new InvalidInputException("Tensor " + t + " has a type the djl engine does not take");
        }
        if (t.size() == 0) {
            return scope.create(shape, type);
        }
        NDArray a = scope.create(shape, type);
        ByteBuffer dst = a.toByteBuffer(true).order(ByteOrder.nativeOrder());
        switch (t.dataType()) {
            case FLOAT32: dst.asFloatBuffer().put(t.floatBuffer()); break;
            case INT64: dst.asLongBuffer().put(t.longBuffer()); break;
            case INT32: dst.asIntBuffer().put(t.intBuffer()); break;
            default: dst.put(t.byteBuffer()); break;
        }
        return a;
    }

    /** A Java-heap copy of {@code a}, named {@code name}; floating types other than float32 become float32. */
    static Tensor fromNd(String name, NDArray a) {
        NDArray src = a;
        switch (a.getDataType()) {
            case FLOAT64:
            case FLOAT16:
            case BFLOAT16:
                src = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                break;
            case BOOLEAN:
            case INT8:
                src = a.toType(ai.djl.ndarray.types.DataType.INT32, false);
                break;
            default:
                break;
        }
        long[] shape = src.getShape().getShape();
        ByteBuffer bytes = src.toByteBuffer(true).order(ByteOrder.nativeOrder());
        switch (src.getDataType()) {
            case FLOAT32: {
                float[] v = new float[bytes.remaining() / 4];
                bytes.asFloatBuffer().get(v);
                return Tensor.ofFloats(name, v, shape);
            }
            case INT64: {
                long[] v = new long[bytes.remaining() / 8];
                bytes.asLongBuffer().get(v);
                return Tensor.ofLongs(name, v, shape);
            }
            case INT32: {
                int[] v = new int[bytes.remaining() / 4];
                bytes.asIntBuffer().get(v);
                return Tensor.ofInts(name, v, shape);
            }
            case UINT8: {
                byte[] v = new byte[bytes.remaining()];
                bytes.get(v);
                return Tensor.ofBytes(name, v, shape);
            }
            default:
                throw new EngineException("Output '" + name + "' has type " + a.getDataType() + " " + a.getShape()
                        + ", which the SDK's tensors cannot hold");
        }
    }

    /** {@code name: TYPE[d0, d1, ...]}, for messages. */
    static String describe(Tensor t) {
        return (t.name() == null ? "" : t.name() + ": ") + t.dataType() + java.util.Arrays.toString(t.shape());
    }
}
