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

    /** An NDArray in {@code scope} holding {@code t}'s elements. */
    static NDArray toNd(NDManager scope, Tensor t) {
        Shape shape = new Shape(t.shape());
        switch (t.dataType()) {
            case FLOAT32: return scope.create(t.floatBuffer(), shape, ai.djl.ndarray.types.DataType.FLOAT32);
            case INT64: return scope.create(t.longBuffer(), shape, ai.djl.ndarray.types.DataType.INT64);
            case INT32: return scope.create(t.intBuffer(), shape, ai.djl.ndarray.types.DataType.INT32);
            case UINT8: return scope.create(t.byteBuffer(), shape, ai.djl.ndarray.types.DataType.UINT8);
            default: throw new InvalidInputException("Tensor " + t + " has a type the djl engine does not take");
        }
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
