package dev.nnsdk.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import dev.nnsdk.Device;
import dev.nnsdk.ModelOptions;

/**
 * What every nnsdk Spark stage shares: the model ({@link #setModel}), the {@link ModelOptions} it is
 * loaded with (engine, device, intra-op threads, batch size), the input and output columns, and the
 * partition loop: rows are read in chunks, each chunk goes to the SDK's batch method (which sorts by
 * length and batches by {@code batchSize}, as the local SDK does), and the results are appended to
 * the rows in input order. The model itself is loaded on the executor, once per JVM, from
 * {@link ModelCache}; only the model's name travels with the task.
 *
 * <p>Stages are {@code MLWritable} / {@code MLReadable}: a saved pipeline stores the model reference
 * (id or path) and the options, not the model files.
 */
public abstract class ModelTransformer<T extends ModelTransformer<T>> extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    /** Rows handed to the SDK per batch call (the SDK then batches by {@code batchSize} inside). */
    static final int ROWS_PER_CALL = 512;

    private final String uid;
    private final Param<String> model;
    private final Param<String> engine;
    private final Param<String> device;
    private final IntParam threads;
    private final IntParam batchSize;
    private final Param<String> inputCol;
    private final Param<String> outputCol;

    protected ModelTransformer(String uid) {
        this.uid = uid;
        this.model = new Param<String>(this, "model", "zoo id or model path (a shared filesystem path, a file or directory "
                + "shipped with SparkContext.addFile / --files / --archives, or a model in the jars)");
        this.engine = new Param<String>(this, "engine", "engine: onnx, djl or auto");
        this.device = new Param<String>(this, "device", "device: cpu or gpu:N");
        this.threads = new IntParam(this, "threads", "intra-op threads per engine call; 0 lets the engine decide (one per core)",
                ParamValidators.gtEq(0));
        this.batchSize = new IntParam(this, "batchSize", "largest number of inputs per engine call", ParamValidators.gtEq(1));
        this.inputCol = new Param<String>(this, "inputCol", "input column name");
        this.outputCol = new Param<String>(this, "outputCol", "output column name");
        setDefault(engine, "auto");
        setDefault(device, "cpu");
        setDefault(threads, 0);
        setDefault(batchSize, 32);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> model() {
        return model;
    }

    public Param<String> engine() {
        return engine;
    }

    public Param<String> device() {
        return device;
    }

    public IntParam threads() {
        return threads;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public String getModel() {
        return $(model);
    }

    public String getEngine() {
        return $(engine);
    }

    public String getDevice() {
        return $(device);
    }

    public int getThreads() {
        return (Integer) $(threads);
    }

    public int getBatchSize() {
        return (Integer) $(batchSize);
    }

    public String getInputCol() {
        return $(inputCol);
    }

    public String getOutputCol() {
        return $(outputCol);
    }

    /** The options the model is loaded with on the executors. */
    public ModelOptions modelOptions() {
        return ModelOptions.builder().optEngine(getEngine()).optDevice(Device.parse(getDevice()))
                .optThreads(getThreads()).optBatchSize(getBatchSize()).build();
    }

    /** The model reference and options, as sent to the executors. */
    final ModelSpec spec() {
        modelOptions();
        return new ModelSpec(getModel(), getEngine(), getDevice(), getThreads(), getBatchSize());
    }

    @SuppressWarnings("unchecked")
    protected final T setParam(Param<?> p, Object value) {
        set((Param<Object>) p, value);
        return (T) this;
    }

    /** A zoo id or a model path (see {@link #model()} for how it reaches the executors). Required. */
    public T setModel(String idOrPath) {
        return setParam(model, idOrPath);
    }

    /** {@code onnx}, {@code djl} or {@code auto} (default: the first engine that runs the model). */
    public T setEngine(String name) {
        return setParam(engine, name);
    }

    /** {@code cpu} (default) or {@code gpu:N}. */
    public T setDevice(String name) {
        return setParam(device, name);
    }

    /** Intra-op threads of each engine call; 0 (default) lets the engine use one per core. */
    public T setThreads(int n) {
        return setParam(threads, n);
    }

    /** The most inputs per engine call (default 32); inputs are length-sorted first, as in the local SDK. */
    public T setBatchSize(int n) {
        return setParam(batchSize, n);
    }

    public T setInputCol(String col) {
        return setParam(inputCol, col);
    }

    public T setOutputCol(String col) {
        return setParam(outputCol, col);
    }

    @Override
    public Transformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(model)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " " + uid + ": no model: call setModel(idOrPath)");
        }
        if (!isDefined(inputCol)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " " + uid + ": no input column: call setInputCol(name)");
        }
        if (!Arrays.asList(schema.fieldNames()).contains(getInputCol())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input column '" + getInputCol()
                    + "' does not exist; the columns are " + Arrays.toString(schema.fieldNames()));
        }
        modelOptions(); // a bad device string fails here, on the driver
        checkInputType(schema.apply(getInputCol()).dataType());
        StructType out = schema;
        for (StructField f : outputFields()) {
            if (Arrays.asList(schema.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": output column '" + f.name() + "' already exists");
            }
            out = out.add(f);
        }
        return out;
    }

    /** Throws {@link IllegalArgumentException} naming the column and the types it accepts when {@code type} is not one. */
    protected abstract void checkInputType(DataType type);

    /** The columns this stage appends. */
    protected abstract StructField[] outputFields();

    /** The non-null values of a chunk of a string column, in order (a null row gets null results). */
    static List<String> nonNullTexts(List<Object> inputs) {
        List<String> texts = new ArrayList<String>(inputs.size());
        for (Object o : inputs) {
            if (o != null) {
                texts.add((String) o);
            }
        }
        return texts;
    }

    /** The executor side: turns chunks of input values into the appended values, one array per row. */
    protected abstract ChunkFunction chunkFunction(StructType inputSchema);

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        ChunkFunction f = chunkFunction(dataset.schema());
        int index = dataset.schema().fieldIndex(getInputCol());
        return dataset.toDF().mapPartitions(new PartitionLoop(f, index), Encoders.row(out));
    }

    protected final String describe(DataType got, String accepted) {
        return getClass().getSimpleName() + ": input column '" + getInputCol() + "' must be " + accepted + ", not "
                + got.simpleString();
    }

    /**
     * Computes the appended values of a chunk of rows; serialisable, holds only names and options.
     * The values are those of the stage's input column, in row order (nulls included).
     */
    public interface ChunkFunction extends java.io.Serializable {
        List<Object[]> apply(List<Object> inputs, List<Row> rows);
    }

    /** Reads a partition in chunks, appends the computed values to each row, keeps the row order. */
    private static final class PartitionLoop implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final ChunkFunction function;
        private final int index;

        PartitionLoop(ChunkFunction function, int index) {
            this.function = function;
            this.index = index;
        }

        @Override
        public Iterator<Row> call(final Iterator<Row> rows) {
            return new Iterator<Row>() {
                private List<Row> chunk = new ArrayList<Row>();
                private List<Object[]> results;
                private int next;

                @Override
                public boolean hasNext() {
                    if (results != null && next < chunk.size()) {
                        return true;
                    }
                    if (!rows.hasNext()) {
                        return false;
                    }
                    chunk = new ArrayList<Row>(ROWS_PER_CALL);
                    List<Object> inputs = new ArrayList<Object>(ROWS_PER_CALL);
                    while (rows.hasNext() && chunk.size() < ROWS_PER_CALL) {
                        Row r = rows.next();
                        chunk.add(r);
                        inputs.add(r.isNullAt(index) ? null : r.get(index));
                    }
                    results = function.apply(inputs, chunk);
                    next = 0;
                    return true;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Row r = chunk.get(next);
                    Object[] extra = results.get(next);
                    next++;
                    Object[] values = new Object[r.length() + extra.length];
                    for (int i = 0; i < r.length(); i++) {
                        values[i] = r.get(i);
                    }
                    System.arraycopy(extra, 0, values, r.length(), extra.length);
                    return RowFactory.create(values);
                }
            };
        }
    }
}
