package dev.nnsdk.bench;

import dev.nnsdk.text.Tokenizers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nnsdk.repository.ModelDescriptor;
import dev.nnsdk.repository.ModelRepository;
import dev.nnsdk.text.Encoding;
import dev.nnsdk.text.Tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The texts of one benchmark and how many real tokens the model sees for each (after truncation). */
public final class Workload {
    private final List<String> texts;
    private final int[] tokens;

    public Workload(List<String> texts, int[] tokens) {
        this.texts = Collections.unmodifiableList(new ArrayList<String>(texts));
        this.tokens = tokens.clone();
    }

    /** Tokenises {@code texts} with the model's own tokenizer to count real tokens. */
    public static Workload of(List<String> texts, String modelId) {
        ModelDescriptor d = ModelRepository.resolve(modelId);
        if (d.text() == null) {
            throw new IllegalArgumentException("Model '" + modelId + "' is not a text model");
        }
        int[] n = new int[texts.size()];
        try (Tokenizer tok = Tokenizers.factory().create(d.text().tokenizer().path(), d.text().maxLength())) {
            List<Encoding> enc = tok.encodeAll(texts);
            for (int i = 0; i < n.length; i++) {
                n[i] = enc.get(i).length();
            }
        }
        return new Workload(texts, n);
    }

    /** Reads up to {@code limit} texts from .txt (one per line) or .jsonl (field {@code text}), optionally .gz. */
    public static List<String> read(Path file, int limit) throws IOException {
        String name = file.getFileName().toString();
        boolean gz = name.endsWith(".gz");
        boolean jsonl = name.replace(".gz", "").endsWith(".jsonl");
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<String>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while (out.size() < limit && (line = r.readLine()) != null) {
                if (jsonl) {
                    if (line.trim().isEmpty()) {
                        continue;
                    }
                    JsonNode n = json.readTree(line).get("text");
                    out.add(n.asText());
                } else {
                    out.add(line);
                }
            }
        }
        return out;
    }

    public List<String> texts() {
        return texts;
    }

    public int size() {
        return texts.size();
    }

    public int[] tokens() {
        return tokens.clone();
    }

    public long totalTokens() {
        long s = 0;
        for (int t : tokens) {
            s += t;
        }
        return s;
    }

    /** Texts {@code [from, to)} as a workload. */
    public Workload slice(int from, int to) {
        int[] t = new int[to - from];
        System.arraycopy(tokens, from, t, 0, t.length);
        return new Workload(texts.subList(from, to), t);
    }
}
