package dev.nnsdk.engine;

/** Element types a {@link Tensor} can hold. */
public enum DataType {
    FLOAT32(4), INT64(8), INT32(4), UINT8(1);

    private final int bytes;

    DataType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }
}
