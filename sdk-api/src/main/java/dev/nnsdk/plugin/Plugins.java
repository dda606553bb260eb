package dev.nnsdk.plugin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

/**
 * How the SDK finds its plug-ins: {@link ServiceLoader} over the thread's context class loader (falling back
 * to the SDK's own), so engines, resolvers, tokenizers and image decoders are picked up from the class path
 * without configuration. Each plug-in contract keeps its own registry on top of this one lookup:
 * {@link dev.nnsdk.engine.Engines}, {@link dev.nnsdk.text.Tokenizers}, {@link dev.nnsdk.image.ImageDecoder#get()},
 * {@link dev.nnsdk.repository.ModelRepository}.
 *
 * <pre>{@code
 * List<MyPlugin> all = Plugins.load(MyPlugin.class);
 * }</pre>
 */
public final class Plugins {

    private Plugins() {
    }

    /** Every implementation of {@code type} registered on the class path, in class-path order; never null. */
    public static <T> List<T> load(Class<T> type) {
        List<T> out = new ArrayList<T>();
        for (T t : ServiceLoader.load(type, classLoader())) {
            out.add(t);
        }
        return Collections.unmodifiableList(out);
    }

    private static ClassLoader classLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : Plugins.class.getClassLoader();
    }
}
