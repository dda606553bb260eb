package dev.nnsdk.internal;

import dev.nnsdk.EngineException;
import dev.nnsdk.engine.Engine;
import dev.nnsdk.repository.ModelResolver;
import dev.nnsdk.text.TokenizerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Plug-ins found through {@link ServiceLoader}, loaded once. Not public API. */
public final class Services {

    private static volatile List<Engine> engines;
    private static volatile List<ModelResolver> resolvers;
    private static volatile List<TokenizerFactory> tokenizers;
    private static volatile List<dev.nnsdk.image.ImageDecoder> imageDecoders;

    private Services() {
    }

    /** All engines on the class path, highest priority first. */
    public static List<Engine> engines() {
        List<Engine> e = engines;
        if (e == null) {
            List<Engine> found = load(Engine.class);
            Collections.sort(found, new Comparator<Engine>() {
                @Override
                public int compare(Engine a, Engine b) {
                    return Integer.compare(b.priority(), a.priority());
                }
            });
            engines = e = Collections.unmodifiableList(found);
        }
        return e;
    }

    /** The engine called {@code name}, or an error listing the engines that are there. */
    public static Engine engine(String name) {
        List<String> names = new ArrayList<String>();
        for (Engine e : engines()) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
            names.add(e.name());
        }
        String module = moduleOf(name);
        throw new EngineException("Engine '" + name + "' is not on the class path (available: " + names + "). "
                + (module != null ? "Add the dependency dev.nnsdk:" + module + " (or dev.nnsdk:sdk-all)."
                : "The SDK has two engines, onnx (dev.nnsdk:sdk-onnx) and djl (dev.nnsdk:sdk-djl); '" + name
                + "' is neither."));
    }

    /** The module of a known engine, else {@code null} (never a module that does not exist). */
    private static String moduleOf(String engine) {
        return "onnx".equalsIgnoreCase(engine) ? "sdk-onnx" : "djl".equalsIgnoreCase(engine) ? "sdk-djl" : null;
    }

    public static List<ModelResolver> resolvers() {
        List<ModelResolver> r = resolvers;
        if (r == null) {
            resolvers = r = Collections.unmodifiableList(load(ModelResolver.class));
        }
        return r;
    }

    /** The first tokenizer factory on the class path. */
    public static TokenizerFactory tokenizerFactory() {
        List<TokenizerFactory> t = tokenizers;
        if (t == null) {
            tokenizers = t = Collections.unmodifiableList(load(TokenizerFactory.class));
        }
        if (t.isEmpty()) {
            throw new EngineException("No tokenizer on the class path: add the dependency dev.nnsdk:model-zoo");
        }
        return t.get(0);
    }

    /** The image decoders on the class path, in class-path order. */
    public static List<dev.nnsdk.image.ImageDecoder> imageDecoders() {
        List<dev.nnsdk.image.ImageDecoder> d = imageDecoders;
        if (d == null) {
            imageDecoders = d = Collections.unmodifiableList(load(dev.nnsdk.image.ImageDecoder.class));
        }
        return d;
    }

    /** Every implementation of {@code type} on the class path, in class-path order. */
    public static <T> List<T> load(Class<T> type) {
        List<T> out = new ArrayList<T>();
        for (T t : ServiceLoader.load(type, classLoader())) {
            out.add(t);
        }
        return out;
    }

    private static ClassLoader classLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : Services.class.getClassLoader();
    }
}
