package dev.nnsdk.engine;

import dev.nnsdk.EngineException;
import dev.nnsdk.plugin.Plugins;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The engine registry: every {@link Engine} on the class path ({@code sdk-onnx} registers {@code onnx},
 * {@code sdk-djl} registers {@code djl}), highest {@link Engine#priority()} first, loaded once.
 *
 * <pre>{@code
 * Engine onnx = Engines.named("onnx");
 * for (Engine e : Engines.all()) System.out.println(e.name());
 * }</pre>
 */
public final class Engines {

    private static volatile List<Engine> engines;

    private Engines() {
    }

    /** All engines on the class path, highest priority first; empty when none is there. */
    public static List<Engine> all() {
        List<Engine> e = engines;
        if (e == null) {
            List<Engine> found = new ArrayList<Engine>(Plugins.load(Engine.class));
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

    /**
     * The engine called {@code name} (case-insensitive).
     *
     * @throws EngineException listing the engines that are there and the dependency that provides the one asked for
     */
    public static Engine named(String name) {
        List<String> names = new ArrayList<String>();
        for (Engine e : all()) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
            names.add(e.name());
        }
        throw new EngineException("Engine '" + name + "' is not on the class path (available: " + names + "). "
                + dependencyHint(name));
    }

    private static String dependencyHint(String engine) {
        if ("onnx".equalsIgnoreCase(engine)) {
            return "Add the dependency dev.nnsdk:sdk-onnx (or dev.nnsdk:sdk-all).";
        }
        if ("djl".equalsIgnoreCase(engine)) {
            return "Add the dependency dev.nnsdk:sdk-djl (or dev.nnsdk:sdk-all).";
        }
        return "The SDK's engines are 'onnx' (dev.nnsdk:sdk-onnx) and 'djl' (dev.nnsdk:sdk-djl).";
    }
}
