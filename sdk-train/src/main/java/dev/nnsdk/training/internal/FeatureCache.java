package dev.nnsdk.training.internal;

import dev.nnsdk.image.Image;
import dev.nnsdk.inference.ImageClassifier;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.SdkSettings;
import dev.nnsdk.repository.Artifact;
import dev.nnsdk.repository.ImageSpec;
import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.training.listener.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Backbone features computed once per input: in memory (the last few sets) and on disk under
 * {@code <cache>/features/<key>.bin}, where the key is the SHA-256 of the backbone's artifact
 * checksums, its preprocessing, the engine and the inputs (texts, or image content hashes plus
 * augmentation). Disk file: int32 rows, int32 dim, then
 * float32 rows*dim, little-endian.
 */
public final class FeatureCache {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
    private static final int MEMORY_ENTRIES = 4;
    private static final int CHUNK = 256;
    private static final Map<String, float[][]> MEMORY = new LinkedHashMap<String, float[][]>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[][]> e) {
            return size() > MEMORY_ENTRIES;
        }
    };

    private final Path dir;
    private final boolean disk;

    /** The default cache: {@code SdkSettings.cacheDir()/features}. */
    public FeatureCache() {
        this(SdkSettings.cacheDir().resolve("features"), true);
    }

    public FeatureCache(Path dir, boolean disk) {
        this.dir = dir;
        this.disk = disk;
    }

    /** The features of {@code texts} from {@code embedder}, from the cache when possible. */
    public float[][] features(TextEmbedder embedder, List<String> texts, String phase, List<TrainingListener> listeners) {
        return features(textModelKey(embedder), texts, phase, listeners, (from, to) -> embedder.embedAll(texts.subList(from, to)));
    }

    /**
     * The {@code features} output of {@code backbone} for images identified by {@code inputKeys}
     * (content hash plus any augmentation), loaded by {@code load} only when not cached, a chunk at
     * a time (so a large dataset is never decoded all at once).
     */
    public float[][] features(ImageClassifier backbone, List<String> inputKeys, IntFunction<Image> load, String phase,
                              List<TrainingListener> listeners) {
        return features(imageModelKey(backbone), inputKeys, phase, listeners, (from, to) -> {
            List<Image> images = new ArrayList<Image>(to - from);
            for (int i = from; i < to; i++) {
                images.add(load.apply(i));
            }
            return backbone.featuresAll(images);
        });
    }

    /** Computes rows {@code [from, to)}. */
    private interface Chunk {
        List<float[]> compute(int from, int to);
    }

    private float[][] features(String modelKey, List<String> inputKeys, String phase, List<TrainingListener> listeners,
                               Chunk chunk) {
        String key = key(modelKey, inputKeys);
        int n = inputKeys.size();
        for (TrainingListener l : listeners) {
            l.onFeaturesStart(phase, n);
        }
        float[][] f;
        synchronized (MEMORY) {
            f = MEMORY.get(key);
        }
        boolean cached = f != null;
        if (f == null && disk) {
            f = readDisk(key, n);
            cached = f != null;
        }
        if (f == null) {
            f = new float[n][];
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                List<float[]> v = chunk.compute(from, to);
                for (int i = from; i < to; i++) {
                    f[i] = v.get(i - from);
                }
                for (TrainingListener l : listeners) {
                    l.onFeaturesProgress(phase, to, n);
                }
            }
            if (disk) {
                writeDisk(key, f);
            }
        } else {
            for (TrainingListener l : listeners) {
                l.onFeaturesProgress(phase, n, n);
            }
        }
        synchronized (MEMORY) {
            MEMORY.put(key, f);
        }
        for (TrainingListener l : listeners) {
            l.onFeaturesEnd(phase, cached);
        }
        return f;
    }

    /** Drops the in-memory entries (tests). */
    public static void clearMemory() {
        synchronized (MEMORY) {
            MEMORY.clear();
        }
    }

    static String key(TextEmbedder embedder, List<String> texts) {
        return key(textModelKey(embedder), texts);
    }

    /** Engine and artifact checksums (or paths when a checksum is unknown) of a backbone. */
    private static StringBuilder modelKey(ModelDescriptor d, String engine) {
        Map<String, String> sums = new TreeMap<String, String>();
        for (Map.Entry<dev.nnsdk.engine.ModelFormat, Artifact> e : d.artifacts().entrySet()) {
            sums.put(e.getKey().id(), e.getValue().sha256() != null ? e.getValue().sha256()
                    : e.getValue().path().toAbsolutePath().toString());
        }
        return new StringBuilder("v1\n").append(engine).append('\n').append(sums).append('\n');
    }

    static String textModelKey(TextEmbedder embedder) {
        ModelDescriptor d = embedder.descriptor();
        StringBuilder sb = modelKey(d, embedder.engine());
        if (d.text() != null) {
            sb.append(d.text().tokenizer().sha256()).append(' ').append(d.text().maxLength()).append(' ')
                    .append(d.text().pooling()).append(' ').append(d.text().normalize()).append('\n');
            if (d.text().windows() >= 2) {
                sb.append("windows ").append(d.text().windows()).append('\n');   // older keys stay as they were
            }
        }
        return sb.toString();
    }

    static String imageModelKey(ImageClassifier backbone) {
        ModelDescriptor d = backbone.descriptor();
        StringBuilder sb = modelKey(d, backbone.engine()).append("image\n");
        ImageSpec i = d.image();
        if (i != null) {
            sb.append(i.width()).append('x').append(i.height()).append(' ').append(i.layout()).append(' ').append(i.resize())
                    .append(' ').append(i.resizeShorter()).append(' ').append(i.interpolation()).append(' ').append(i.scale())
                    .append(' ').append(Arrays.toString(i.mean())).append(' ').append(Arrays.toString(i.std())).append(' ')
                    .append(i.featuresOutput()).append('\n');
        }
        return sb.toString();
    }

    /** SHA-256 of the model key and every input key (length-prefixed). */
    static String key(String modelKey, List<String> inputKeys) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(modelKey.getBytes(StandardCharsets.UTF_8));
            for (String t : inputKeys) {
                byte[] b = t.getBytes(StandardCharsets.UTF_8);
                md.update(ByteBuffer.allocate(4).putInt(b.length).array());
                md.update(b);
            }
            return dev.nnsdk.io.Checksums.hex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private float[][] readDisk(String key, int rows) {
        Path f = dir.resolve(key + ".bin");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(f)) {
            byte[] all = readAll(in);
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            int n = b.getInt();
            int d = b.getInt();
            if (n != rows || all.length != 8 + 4L * n * d) {
                LOG.warn("Ignoring damaged feature cache file {}", f);
                return null;
            }
            float[][] out = new float[n][d];
            for (float[] row : out) {
                b.asFloatBuffer().get(row);
                ((java.nio.Buffer) b).position(b.position() + 4 * d);
            }
            LOG.debug("Features from cache {}", f);
            return out;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring unreadable feature cache file {}: {}", f, e.toString());
            return null;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private void writeDisk(String key, float[][] f) {
        try {
            Files.createDirectories(dir);
            int d = f.length == 0 ? 0 : f[0].length;
            ByteBuffer b = ByteBuffer.allocate(8 + 4 * f.length * d).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(f.length).putInt(d);
            for (float[] row : f) {
                for (float v : row) {
                    b.putFloat(v);
                }
            }
            Path tmp = Files.createTempFile(dir, key, ".part");
            Files.write(tmp, b.array());
            try {
                Files.move(tmp, dir.resolve(key + ".bin"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(key + ".bin"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("Cannot write feature cache in {}: {}", dir, e.toString());
        }
    }

}
