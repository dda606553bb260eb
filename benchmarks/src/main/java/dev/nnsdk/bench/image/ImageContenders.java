package dev.nnsdk.bench.image;

import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;

import java.util.Locale;

/** Creates image contenders by name: {@code sdk}, {@code raw} (raw API of the engine asked for), {@code raw-ort}, {@code raw-djl}. */
public final class ImageContenders {
    private ImageContenders() {
    }

    public static ImageContender create(String kind, String modelId, String engine, int threads, int batchSize) {
        String k = kind.toLowerCase(Locale.ROOT);
        ModelDescriptor d = ModelRepository.resolve(modelId);
        switch (k) {
            case "sdk":
                return new SdkImageContender(modelId, engine, threads, batchSize);
            case "raw":
                return "djl".equals(engine) ? new RawDjlImageContender(d, threads, batchSize)
                        : new RawOrtImageContender(d, threads, batchSize);
            case "raw-ort":
                return new RawOrtImageContender(d, threads, batchSize);
            case "raw-djl":
                return new RawDjlImageContender(d, threads, batchSize);
            default:
                throw new IllegalArgumentException("Unknown image contender '" + kind + "' (known: sdk, raw, raw-ort, raw-djl)");
        }
    }
}
