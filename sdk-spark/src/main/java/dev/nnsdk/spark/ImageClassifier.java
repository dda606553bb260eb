package dev.nnsdk.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import dev.nnsdk.InvalidInputException;
import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImageDecoder;
import dev.nnsdk.inference.Classification;

/**
 * A Spark ML stage that classifies images with an SDK image model (a zoo id such as
 * {@code mobilenet-v2-nsfw}, a model directory, or an image head fine-tuned by {@code sdk-train}).
 *
 * <pre>{@code
 * Dataset<Row> files = spark.read().format("binaryFile").load("/data/photos/*.jpg");
 * ImageClassifier clf = new ImageClassifier().setModel("mobilenet-v2-nsfw")
 *         .setInputCol("content").setOutputCol("label").setTopK(3);
 * Dataset<Row> out = clf.transform(files);   // label, label_score, label_topk, label_error
 * }</pre>
 *
 * The input column is either binary (encoded PNG/JPEG/..., e.g. the {@code content} column of the
 * {@code binaryFile} source; the {@code path} column, when there is one, names the image in errors)
 * or a struct of Spark's {@code image} data source (BGR bytes; {@code origin} names the image).
 * Resize, crop and normalisation come from the model's descriptor.
 *
 * <p><b>Broken images</b> do not fail the job: their row gets null label, score and top-k, and the
 * error column ({@code <outputCol>_error}, or {@link #setErrorCol}) holds the SDK's message naming
 * the image; for every other row the error column is null. A null input gives null results and a
 * null error. Errors that are not about one image (model missing, checksum mismatch) fail the job.
 */
public final class ImageClassifier extends ClassifierTransformer<ImageClassifier> {
    private static final long serialVersionUID = 1L;
    private final Param<String> errorCol;

    public ImageClassifier() {
        this(Identifiable$.MODULE$.randomUID("nnsdkImageClassifier"));
    }

    public ImageClassifier(String uid) {
        super(uid);
        this.errorCol = new Param<String>(this, "errorCol", "column of the decoding error of a broken image (default <outputCol>_error)");
        setDefault(inputCol(), "content");
    }

    public static MLReader<ImageClassifier> read() {
        return new DefaultParamsReader<ImageClassifier>();
    }

    public static ImageClassifier load(String path) {
        return read().load(path);
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public String getErrorCol() {
        return isDefined(errorCol) ? $(errorCol) : getOutputCol() + "_error";
    }

    public ImageClassifier setErrorCol(String col) {
        return setParam(errorCol, col);
    }

    @Override
    protected void checkInputType(DataType type) {
        if (!DataTypes.BinaryType.equals(type) && !isImageStruct(type)) {
            throw new IllegalArgumentException(describe(type, "binary (encoded image bytes, e.g. binaryFile's content) "
                    + "or the struct of Spark's image data source"));
        }
    }

    private static boolean isImageStruct(DataType type) {
        return type instanceof StructType && Arrays.asList(((StructType) type).fieldNames())
                .containsAll(Arrays.asList("origin", "height", "width", "nChannels", "data"));
    }

    @Override
    protected StructField[] outputFields() {
        return Predictions.fields(getOutputCol(), getScoreCol(), getTopKCol(), getTopK(), getErrorCol());
    }

    @Override
    protected ChunkFunction chunkFunction(StructType inputSchema) {
        boolean binary = DataTypes.BinaryType.equals(inputSchema.apply(getInputCol()).dataType());
        int pathIndex = -1;
        if (binary && Arrays.asList(inputSchema.fieldNames()).contains("path")
                && DataTypes.StringType.equals(inputSchema.apply("path").dataType())) {
            pathIndex = inputSchema.fieldIndex("path");
        }
        return new Classify(spec(), getTopK(), binary, pathIndex, getInputCol());
    }

    private static final class Classify implements ChunkFunction {
        private static final long serialVersionUID = 1L;
        private final ModelSpec spec;
        private final int topK;
        private final boolean binary;
        private final int pathIndex;
        private final String column;

        Classify(ModelSpec spec, int topK, boolean binary, int pathIndex, String column) {
            this.spec = spec;
            this.topK = topK;
            this.binary = binary;
            this.pathIndex = pathIndex;
            this.column = column;
        }

        @Override
        public List<Object[]> apply(List<Object> inputs, List<Row> rows) {
            Image[] images = new Image[inputs.size()];
            String[] errors = new String[inputs.size()];
            List<Image> good = new ArrayList<Image>();
            for (int i = 0; i < images.length; i++) {
                Object o = inputs.get(i);
                if (o == null) {
                    continue;
                }
                try {
                    images[i] = binary ? ImageDecoder.get().decode((byte[]) o, name(rows.get(i)))
                            : fromImageRow((Row) o);
                    good.add(images[i]);
                } catch (InvalidInputException e) {
                    errors[i] = e.getMessage();
                }
            }
            List<List<Classification>> top = good.isEmpty() ? new ArrayList<List<Classification>>()
                    : ExecutorModels.imageClassifier(spec).classifyAll(good, Math.max(1, topK));
            List<Object[]> out = new ArrayList<Object[]>(images.length);
            int next = 0;
            for (int i = 0; i < images.length; i++) {
                out.add(Predictions.values(images[i] == null ? null : top.get(next++), topK, true, errors[i]));
            }
            return out;
        }

        private String name(Row row) {
            return pathIndex >= 0 && !row.isNullAt(pathIndex) ? row.getString(pathIndex) : "column '" + column + "'";
        }

        /** A row of Spark's image source: BGR(A) or grey bytes, row-major. */
        private static Image fromImageRow(Row r) {
            String origin = ImageSchema.getOrigin(r);
            int h = ImageSchema.getHeight(r);
            int w = ImageSchema.getWidth(r);
            int c = ImageSchema.getNChannels(r);
            byte[] data = ImageSchema.getData(r);
            if (w <= 0 || h <= 0 || data == null || (long) w * h * c != data.length || (c != 1 && c != 3 && c != 4)) {
                throw new InvalidInputException(origin + ": not a decodable image row (width " + w + ", height " + h
                        + ", channels " + c + ", " + (data == null ? 0 : data.length) + " bytes)");
            }
            if (c == 1) {
                return Image.fromGray(w, h, data).withSource(origin);
            }
            byte[] rgb = new byte[w * h * 3];
            for (int p = 0; p < w * h; p++) {
                rgb[3 * p] = data[c * p + 2];
                rgb[3 * p + 1] = data[c * p + 1];
                rgb[3 * p + 2] = data[c * p];
            }
            return Image.fromRgb(w, h, rgb).withSource(origin);
        }
    }
}
