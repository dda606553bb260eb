package dev.nnsdk.engine;

import java.util.Locale;

/** File formats engines load. A model descriptor names one artifact per format. */
public enum ModelFormat {
    /** An ONNX graph ({@code .onnx}). */
    ONNX,
    /** A TorchScript module ({@code .pt}, {@code .torchscript}). */
    TORCHSCRIPT;

    /** {@code onnx} or {@code torchscript}, the spelling used in descriptors. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code onnx} / {@code torchscript} (case-insensitive). */
    public static ModelFormat parse(String s) {
        for (ModelFormat f : values()) {
            if (f.id().equalsIgnoreCase(s.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("Unknown model format '" + s + "': expected onnx or torchscript");
    }

    /** Guesses the format from a file name, or returns {@code null}. */
    public static ModelFormat fromFileName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".onnx")) {
            return ONNX;
        }
        if (n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".torchscript")) {
            return TORCHSCRIPT;
        }
        return null;
    }
}
