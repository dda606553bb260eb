package dev.nnsdk.it.soak;

import dev.nnsdk.image.Image;
import dev.nnsdk.image.ImageDecoder;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.ImageClassifier;
import dev.nnsdk.inference.TextEmbedder;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The pool of inputs the soak draws its requests from, and their expected answers, computed by a serial,
 * single-threaded run on the same predictors before the threads start: one vector per text (a single
 * {@code embed}), and per image its feature vector and its full class-probability vector.
 */
final class SoakInputs {

    /** Longest text in the pool: 200,000 characters (about 35,000 word pieces, truncated to 256). */
    static final int HUGE_TEXT_CHARS = 200_000;

    final List<String> texts;
    final List<Image> images;
    final List<Image> nsfwImages;
    float[][] textVectors;
    float[][] imageFeatures;
    float[][] imageProbs;
    float[][] nsfwProbs;

    private SoakInputs(List<String> texts, List<Image> images, List<Image> nsfwImages) {
        this.texts = Collections.unmodifiableList(texts);
        this.images = Collections.unmodifiableList(images);
        this.nsfwImages = Collections.unmodifiableList(nsfwImages);
    }

    /** The same pool for every engine and run with the same seed. */
    static SoakInputs create(long seed) throws IOException {
        Random r = new Random(seed);
        List<String> texts = new ArrayList<String>();
        // odd ones
        texts.add("");
        texts.add("a");
        texts.add(" ");
        texts.add("\u00e9");
        texts.add("\ud83d\ude42");
        texts.add("\ud83d\udc4d\ud83c\udffd \ud83e\udd16\ud83e\udd16 \u2764\ufe0f\u200d\ud83d\udd25 family: \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67");
        texts.add("\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3067\u3059\u3002\u4e2d\u6587\u4e5f\u53ef\u4ee5\u3002");
        texts.add("\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645 \u2014 \u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd");
        texts.add("Cafe\u0301 na\u00efve r\u00e9sum\u00e9 \u00fcber Stra\u00dfe \u0434\u043e\u0431\u0440\u044b\u0439 \u0434\u0435\u043d\u044c");
        texts.add("control\u0000chars\u0007and\ttabs\r\nand a lone surrogate \ud800 here");
        texts.add("!!!???...,,,;;;:::---");
        // long: more than 256 word pieces (truncated by the tokenizer), and one huge text
        texts.add(words(r, 400));
        texts.add(words(r, 1000) + " \ud83d\ude00 " + words(r, 50));
        StringBuilder huge = new StringBuilder(HUGE_TEXT_CHARS + 64);
        while (huge.length() < HUGE_TEXT_CHARS) {
            huge.append(words(r, 50)).append(" \u00e9t\u00e9 \ud83c\udf1e ");
        }
        texts.add(huge.toString());
        // ordinary sentences of 1 to 30 words
        while (texts.size() < 48) {
            texts.add(words(r, 1 + r.nextInt(30)) + ".");
        }

        List<Image> images = new ArrayList<Image>();
        images.add(noise(r, 1, 1));
        images.add(noise(r, 3, 500));
        images.add(noise(r, 640, 17));
        images.add(noise(r, 17, 640));
        images.add(gray(r, 50, 50));
        images.add(gray(r, 1, 300));
        images.add(noise(r, 64, 64));
        images.add(noise(r, 224, 224));
        images.add(noise(r, 1999, 1501));
        for (String png : new String[] {"dog.png", "china.png", "flower.png"}) {
            try (InputStream in = SoakInputs.class.getResourceAsStream("/images/" + png)) {
                if (in == null) {
                    throw new IOException("test resource images/" + png + " is missing");
                }
                images.add(ImageDecoder.get().decode(readAll(in), png));
            }
        }
        List<Image> nsfw = new ArrayList<Image>();
        nsfw.add(images.get(0));
        nsfw.add(images.get(2));
        nsfw.add(images.get(4));
        nsfw.add(images.get(9));
        return new SoakInputs(texts, images, nsfw);
    }

    /** Index of the first long text (more than 256 word pieces) and of the first ordinary sentence. */
    static final int FIRST_LONG = 11;
    static final int FIRST_ORDINARY = 14;

    /**
     * A text for one request: mostly ordinary sentences, 13% odd short texts and, when {@code long} is allowed,
     * 2% long ones (the huge one among them a third of the time). Long texts are kept rare because
     * they cost 20 to 50 times a sentence.
     */
    int pickText(Random r, boolean allowLong) {
        int u = r.nextInt(100);
        if (allowLong && u < 2) {
            return pickLongText(r);
        }
        if (u < 15) {
            return r.nextInt(FIRST_LONG);
        }
        return FIRST_ORDINARY + r.nextInt(texts.size() - FIRST_ORDINARY);
    }

    /** One of the texts longer than the model's 256 word pieces. */
    int pickLongText(Random r) {
        return FIRST_LONG + r.nextInt(FIRST_ORDINARY - FIRST_LONG);
    }

    /** The serial run: expected answers of every input, one request at a time on this thread. */
    void computeExpected(TextEmbedder embedder, ImageClassifier resnet, ImageClassifier nsfw) {
        textVectors = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            textVectors[i] = embedder.embed(texts.get(i));
        }
        imageFeatures = new float[images.size()][];
        imageProbs = new float[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            imageFeatures[i] = resnet.features(images.get(i));
            imageProbs[i] = probs(resnet, images.get(i));
        }
        nsfwProbs = new float[nsfwImages.size()][];
        for (int i = 0; i < nsfwImages.size(); i++) {
            nsfwProbs[i] = probs(nsfw, nsfwImages.get(i));
        }
    }

    /** All class probabilities of one image, indexed by class. */
    static float[] probs(ImageClassifier clf, Image image) {
        List<Classification> all = clf.classify(image, Integer.MAX_VALUE);
        float[] p = new float[all.size()];
        for (Classification c : all) {
            p[c.index()] = c.score();
        }
        return p;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static final String[] VOCAB = {"the", "film", "was", "great", "plot", "boring", "actor", "music", "scene",
        "ending", "funny", "slow", "story", "camera", "dialogue", "brilliant", "weak", "score", "unbelievably",
        "cinematography", "antidisestablishmentarianism", "Zo\u00eb", "na\u00efve", "2026", "x86_64", "e-mail", "don't"};

    private static String words(Random r, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(VOCAB[r.nextInt(VOCAB.length)]);
        }
        return s.toString();
    }

    private static Image noise(Random r, int w, int h) {
        int[] argb = new int[w * h];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = r.nextInt();
        }
        return Image.fromArgb(w, h, argb).withSource("noise-" + w + "x" + h);
    }

    private static Image gray(Random r, int w, int h) {
        byte[] g = new byte[w * h];
        r.nextBytes(g);
        return Image.fromGray(w, h, g).withSource("gray-" + w + "x" + h);
    }
}
