package dev.nnsdk.training.data;

import dev.nnsdk.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable list of labelled images with a name (its folder or file) for error messages. Image
 * files are listed, not decoded: each {@link ImageExample#load()} decodes its file. IDX files
 * (MNIST, Fashion-MNIST) are held in memory as pixels.
 *
 * <pre>{@code
 * ImageDataset all = ImageDataset.read(Path.of("photos")).readable();  // photos/<class>/<image>.jpg; unreadable files skipped
 * ImageDataset.Split s = all.stratifiedSplit(0.2, 42);                  // seeded, per-label proportions kept
 * ImageDataset mnist = ImageDataset.read(Path.of("fashion-mnist/train-images-idx3-ubyte.gz")).first(10_000);
 * }</pre>
 *
 * <p><b>Unreadable images.</b> {@link #fromFolders} lists files without decoding them, so a damaged
 * file is found only when decoded. {@link #readable()} decodes every image once, one at a time
 * (never holding the decoded images), skips each that fails with a WARN log naming the file and the
 * reason, and returns the dataset without them; {@link #skipped()} on the result lists them. A
 * truncated JPEG counts as unreadable (javax.imageio would fill the missing part with grey). When no
 * image is readable it throws.
 */
public final class ImageDataset {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDataset.class);

    private final String name;
    private final List<ImageExample> examples;
    /** The class-index order of the labels (IDX), or null for sorted labels. */
    private final List<String> classOrder;
    private final List<String> skipped;
    /** Whether every example is known to decode (checked by {@link #readable()}, or pixels in memory). */
    private final boolean readable;

    public ImageDataset(String name, List<ImageExample> examples) {
        this(name, examples, null, null, false);
    }

    ImageDataset(String name, List<ImageExample> examples, List<String> classOrder, List<String> skipped, boolean readable) {
        this.name = name;
        this.examples = Collections.unmodifiableList(new ArrayList<ImageExample>(examples));
        this.classOrder = classOrder == null ? null : Collections.unmodifiableList(new ArrayList<String>(classOrder));
        this.skipped = skipped == null ? Collections.<String>emptyList() : Collections.unmodifiableList(new ArrayList<String>(skipped));
        this.readable = readable;
    }

    /**
     * Reads a dataset: a directory as {@link #fromFolders}; an IDX images file ({@code *-images-idx3-ubyte},
     * optionally {@code .gz}) as {@link #fromIdx} with the labels file next to it ({@code images-idx3}
     * replaced by {@code labels-idx1}) and the class names from a {@code labels.txt} next to it when
     * present (line i = class i), else the label numbers.
     */
    public static ImageDataset read(Path path) {
        if (Files.isDirectory(path)) {
            return fromFolders(path);
        }
        if (!Files.exists(path)) {
            throw new InvalidInputException("Image dataset " + path + " does not exist");
        }
        int magic = IdxFiles.magic(path);
        if (magic == IdxFiles.LABELS_MAGIC) {
            throw new InvalidInputException("Image dataset " + path + " is an IDX labels file; pass the images file (e.g. "
                    + "train-images-idx3-ubyte.gz), its labels are found next to it");
        }
        if (magic != IdxFiles.IMAGES_MAGIC) {
            throw new InvalidInputException("Image dataset " + path + " is neither a folder of class folders nor an IDX images file"
                    + " (magic 0x00000803)");
        }
        Path labels = siblingLabels(path);
        Path names = path.resolveSibling("labels.txt");
        return fromIdx(path, labels, Files.isRegularFile(names) ? IdxFiles.classNames(names) : null);
    }

    private static Path siblingLabels(Path images) {
        String n = images.getFileName().toString();
        String l = n.replace("images-idx3", "labels-idx1");
        if (l.equals(n)) {
            l = n.replace("idx3", "idx1").replace("images", "labels");
        }
        Path p = images.resolveSibling(l);
        if (l.equals(n) || !Files.isRegularFile(p)) {
            throw new InvalidInputException("No labels file for the IDX images " + images + (l.equals(n) ? "" : ": expected " + p)
                    + "; name it like train-images-idx3-ubyte.gz / train-labels-idx1-ubyte.gz, or call"
                    + " ImageDataset.fromIdx(images, labels, classNames)");
        }
        return p;
    }

    /**
     * Lists a Keras {@code flow_from_directory} tree: one sub-folder per class (the folder name is the
     * label), {@code .png}, {@code .jpg} and {@code .jpeg} files (any case) at any depth below it,
     * sorted by path. Hidden files and folders (names starting with '.') are ignored, other files too
     * (logged at debug); a class folder without images is left out with a warning. Nothing is decoded:
     * call {@link #readable()} to drop unreadable files.
     *
     * @throws InvalidInputException when the folder is missing, has no class folders, or no images
     */
    public static ImageDataset fromFolders(Path dir) {
        return ImageFolders.list(dir);
    }

    /**
     * Reads MNIST IDX files (optionally {@code .gz}): images {@code 0x00000803} (unsigned bytes, n x rows
     * x cols) and labels {@code 0x00000801} (n unsigned bytes). Label v is {@code classNames.get(v)},
     * or {@code "v"} when {@code classNames} is null. The pixels are held in memory; each
     * {@link ImageExample#load()} is a grey image with source {@code images#index} (0-based).
     *
     * @throws InvalidInputException naming the file: bad magic number, a data type other than unsigned
     *                               bytes, a truncated file (expected and actual bytes), image and label
     *                               counts that differ, a label with no class name, or sizes no image may have
     */
    public static ImageDataset fromIdx(Path images, Path labels, List<String> classNames) {
        return IdxFiles.read(images, labels, classNames);
    }

    public String name() {
        return name;
    }

    public List<ImageExample> examples() {
        return examples;
    }

    public int size() {
        return examples.size();
    }

    /**
     * Distinct labels: sorted (as {@link TextDataset#labels()} and Keras' folder order), or for IDX in
     * class-index order (those that occur).
     */
    public List<String> labels() {
        Set<String> present = new HashSet<String>();
        for (ImageExample e : examples) {
            present.add(e.label());
        }
        if (classOrder == null) {
            return new ArrayList<String>(new TreeSet<String>(present));
        }
        List<String> out = new ArrayList<String>();
        for (String c : classOrder) {
            if (present.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Examples per label, in {@link #labels()} order. */
    public Map<String, Integer> counts() {
        Map<String, Integer> m = new LinkedHashMap<String, Integer>();
        for (String l : labels()) {
            m.put(l, 0);
        }
        for (ImageExample e : examples) {
            m.put(e.label(), m.get(e.label()) + 1);
        }
        return m;
    }

    /**
     * SHA-256 of the labels and content keys in order: the dataset's identity in provenance and
     * checkpoints. For image files this reads every file once (the keys are then remembered).
     */
    public String sha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (ImageExample e : examples) {
                TextDataset.update(md, e.label());
                TextDataset.update(md, e.contentKey());
            }
            return TextDataset.hex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code n} examples (all when {@code n >= size()}), e.g. the first 10,000 of Fashion-MNIST. */
    public ImageDataset first(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (n >= examples.size()) {
            return this;
        }
        return derived(name + " (first " + n + ")", examples.subList(0, n));
    }

    /**
     * Fails with a message naming the dataset when it cannot train a classifier: no examples, or
     * fewer than two classes.
     */
    public ImageDataset requireTrainable() {
        Stratified.requireTrainable(name, examples.size(), labels());
        return this;
    }

    /**
     * A seeded stratified split: each label keeps its share in both parts; every label with at
     * least 2 examples gets at least one validation example and every label keeps a training example (as
     * {@link TextDataset#stratifiedSplit}).
     */
    public Split stratifiedSplit(double validationFraction, long seed) {
        return split(validationFraction, seed, true);
    }

    private Split split(double validationFraction, long seed, boolean keepOneForTraining) {
        List<String> labelOfEach = new ArrayList<String>(examples.size());
        for (ImageExample e : examples) {
            labelOfEach.add(e.label());
        }
        boolean[] valid = Stratified.validationMask(labelOfEach, labels(), validationFraction, seed, keepOneForTraining);
        List<ImageExample> t = new ArrayList<ImageExample>();
        List<ImageExample> v = new ArrayList<ImageExample>();
        for (int i = 0; i < valid.length; i++) {
            (valid[i] ? v : t).add(examples.get(i));
        }
        return new Split(derived(Stratified.trainingSplitName(name), t),
                derived(Stratified.validationSplitName(name, validationFraction), v));
    }

    /** A seeded stratified sample of {@code n} examples (per-label shares kept), as {@link TextDataset#stratifiedSample}. */
    public ImageDataset stratifiedSample(int n, long seed) {
        if (n >= examples.size()) {
            return this;
        }
        List<ImageExample> picked = new ArrayList<ImageExample>(split((double) n / examples.size(), seed, false).validation().examples);
        java.util.Collections.shuffle(picked, new java.util.Random(seed));
        return derived(name + " (sample of " + picked.size() + ")", picked);
    }

    /**
     * This dataset without the images that cannot be decoded. Decodes each image once, one at a
     * time (decoded images are not kept), logs a WARN naming each skipped file and why, and a summary;
     * the result's {@link #skipped()} lists the skipped sources. Images already in memory (IDX) are
     * not decoded again, nor is a dataset that is already the result of this method.
     *
     * @throws InvalidInputException when the dataset has images but none is readable
     */
    public ImageDataset readable() {
        if (readable) {
            return this;
        }
        List<ImageExample> ok = new ArrayList<ImageExample>();
        List<String> bad = new ArrayList<String>();
        String firstReason = null;
        for (ImageExample e : examples) {
            if (e.loader() instanceof IdxImage || e.loader() instanceof InMemoryImage) {
                ok.add(e);
                continue;
            }
            try {
                e.load();
                ok.add(e);
            } catch (InvalidInputException ex) {
                LOG.warn("Skipping unreadable image {}: {}", e.source(), ex.getMessage());
                bad.add(e.source());
                if (firstReason == null) {
                    firstReason = ex.getMessage();
                }
            }
        }
        if (ok.isEmpty() && !examples.isEmpty()) {
            throw new InvalidInputException("None of the " + examples.size() + " images of dataset " + name
                    + " can be decoded; the first: " + firstReason);
        }
        if (!bad.isEmpty()) {
            LOG.warn("Skipped {} unreadable of {} images in {}: {}", bad.size(), examples.size(), name, bad);
        }
        return new ImageDataset(name, ok, classOrder, bad, true);
    }

    /** The sources that {@link #readable()} skipped to make this dataset (empty otherwise). */
    public List<String> skipped() {
        return skipped;
    }

    private ImageDataset derived(String newName, List<ImageExample> subset) {
        return new ImageDataset(newName, subset, classOrder, null, readable);
    }

    @Override
    public String toString() {
        return "ImageDataset{" + name + ", " + examples.size() + " examples, " + counts() + '}';
    }

    /** A train part and a validation part. */
    public static final class Split {
        private final ImageDataset train;
        private final ImageDataset validation;

        public Split(ImageDataset train, ImageDataset validation) {
            this.train = train;
            this.validation = validation;
        }

        public ImageDataset train() {
            return train;
        }

        public ImageDataset validation() {
            return validation;
        }
    }
}
