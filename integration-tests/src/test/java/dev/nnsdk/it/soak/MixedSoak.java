package dev.nnsdk.it.soak;

import dev.nnsdk.ModelOptions;
import dev.nnsdk.image.Image;
import dev.nnsdk.inference.Classification;
import dev.nnsdk.inference.ImageClassifier;
import dev.nnsdk.inference.TextEmbedder;
import dev.nnsdk.it.support.NativeHeap;
import dev.nnsdk.it.support.ProcessMemory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;

/**
 * Mixed-load soak of one engine: {@code soak.threads} threads (16) share ONE {@link TextEmbedder}
 * (all-minilm-l6-v2), ONE {@link ImageClassifier} (resnet-tiny-fixture) and ONE mobilenet-v2-nsfw
 * classifier, and send a seeded random mix of requests: single embeds, {@code embedAll} of 1 to 16
 * texts (at most 4 when one is long; empty, 1 character, more than 256 word pieces, 200,000
 * characters, non-ASCII, emoji, control characters), classify / features / featuresAll of images of odd sizes (1x1, 3x500, 640x17, grey,
 * 1999x1501, photos), plus cancellations (a request run on an executor whose future is cancelled with
 * interruption after 0 to 3 ms) and requests made with the thread's interrupt flag set.
 *
 * <p>Every answer is compared with the serial run of {@link SoakInputs}: a single request within 1e-5
 * (max abs), a batched one ({@code embedAll}, {@code featuresAll}) within 1e-4 and, for texts, cosine
 * at least 0.99999. Batches differ because a batch is padded to its longest text, and the padded
 * positions change the order of the float sums in the matrix kernels (the attention mask keeps them
 * out of the result, so only rounding moves). A cancelled request may fail or finish, but when it
 * finishes its answer must be right, and it must never disturb another. Requests that are neither
 * cancelled nor interrupted must all succeed.
 *
 * <p>Resident memory (VmRSS, at rest: see {@link #settledRssKb}) is sampled after a warm-up phase (first every thread at once sends the
 * largest requests of the mix, see {@link #runPeak}, then the mix itself for 10% of the requests, at
 * least 400) and at the end; growth must stay below {@code soak.maxGrowth} (5%). After the load,
 * the serial run is repeated on the same predictors and must give the same answers.
 *
 * <p>System properties: {@code soak.engines} (onnx,djl), {@code soak.requests} per engine (5000),
 * {@code soak.threads} (16), {@code soak.seed} (42), {@code soak.maxSeconds} (0: no limit; the
 * measured phase stops early at this deadline), {@code soak.maxGrowth} (0.05), {@code soak.mix} ({@code all};
 * {@code text} or {@code image} to find which side moves memory), {@code soak.cancel} ({@code true}; {@code false}
 * runs the cancelled and interrupted requests as plain ones), {@code soak.settleMillis} (3000). Run one engine per JVM
 * (resident memory is per process), with a fixed pre-touched heap and NMT, as {@link MixedSoakTest}
 * and {@code scripts/soak.sh} do. Prints one {@code SOAK ...} line per engine; exits 1 on any failure.
 */
public final class MixedSoak {

    static final double SINGLE_TOLERANCE = 1e-5;
    static final double BATCH_TOLERANCE = 1e-4;
    static final double BATCH_MIN_COSINE = 0.99999;
    /** embedAll batches holding a long text (all padded to 256 word pieces) have at most this many texts. */
    static final int MAX_BATCH_WITH_LONG_TEXT = 4;

    private final String engine;
    private final int requests;
    private final int threads;
    private final long seed;
    private final long maxSeconds;
    private final double maxGrowth;

    private SoakInputs inputs;
    private TextEmbedder embedder;
    private ImageClassifier resnet;
    private ImageClassifier nsfw;
    private ExecutorService cancelPool;

    // counters
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger wrong = new AtomicInteger();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final AtomicInteger cancelledBeforeStart = new AtomicInteger();
    private final AtomicInteger cancelledFinished = new AtomicInteger();
    private final AtomicInteger cancelledFailed = new AtomicInteger();
    private final AtomicInteger interrupted = new AtomicInteger();
    private final AtomicInteger interruptedFinished = new AtomicInteger();
    private final AtomicInteger interruptedFailed = new AtomicInteger();
    private final AtomicInteger interruptFlagLost = new AtomicInteger();
    private final AtomicLong vectorsChecked = new AtomicLong();
    private final LongAccumulator maxSingleDiff = new LongAccumulator(Math::max, 0);
    private final LongAccumulator maxBatchDiff = new LongAccumulator(Math::max, 0);
    private final Map<String, Integer> cancelErrors = new TreeMap<String, Integer>();
    private final List<String> failureMessages = new ArrayList<String>();

    MixedSoak(String engine, int requests, int threads, long seed, long maxSeconds, double maxGrowth) {
        this.engine = engine;
        this.requests = requests;
        this.threads = threads;
        this.seed = seed;
        this.maxSeconds = maxSeconds;
        this.maxGrowth = maxGrowth;
    }

    public static void main(String[] args) throws Exception {
        String engines = System.getProperty("soak.engines", "onnx,djl");
        int requests = Integer.getInteger("soak.requests", 5000);
        int threads = Integer.getInteger("soak.threads", 16);
        long seed = Long.getLong("soak.seed", 42L);
        long maxSeconds = Long.getLong("soak.maxSeconds", 0L);
        double maxGrowth = Double.parseDouble(System.getProperty("soak.maxGrowth", "0.05"));
        boolean ok = true;
        for (String e : engines.split(",")) {
            ok &= new MixedSoak(e.trim(), requests, threads, seed, maxSeconds, maxGrowth).run();
        }
        System.out.flush();
        System.exit(ok ? 0 : 1);
    }

    /** Runs the soak on this engine; prints the figures; returns whether every check passed. */
    boolean run() throws Exception {
        long t0 = System.nanoTime();
        inputs = SoakInputs.create(seed);
        ModelOptions options = ModelOptions.builder().optEngine(engine).optThreads(1).build();
        embedder = TextEmbedder.load("all-minilm-l6-v2", options);
        resnet = ImageClassifier.load("resnet-tiny-fixture", options);
        nsfw = ImageClassifier.load("mobilenet-v2-nsfw", options);
        cancelPool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "soak-cancellable");
            t.setDaemon(true);
            return t;
        });
        try {
            inputs.computeExpected(embedder, resnet, nsfw);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            int warmup = Math.max(400, requests / 10);
            runPeak();
            runPhase(0, warmup, 0);
            long warmServed = served.get();
            long rssWarm = settledRssKb();
            long nmtWarm = ProcessMemory.nmtCommittedKb();
            memoryPoint("warm");
            AtomicLong rssMax = new AtomicLong(rssWarm);
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    try {
                        rssMax.accumulateAndGet(ProcessMemory.rssKb(), Math::max);
                        Thread.sleep(250);
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "soak-rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
            long start = System.nanoTime();
            int issued = runPhase(warmup, requests, maxSeconds);
            double seconds = (System.nanoTime() - start) / 1e9;
            sampling.set(false);
            sampler.join();
            long rssEnd = settledRssKb();
            long nmtEnd = ProcessMemory.nmtCommittedKb();
            memoryPoint("end");
            String recheck = recheckSerially();
            double growth = (rssEnd - rssWarm) / (double) rssWarm;

            boolean ok = failures.get() == 0 && wrong.get() == 0 && recheck == null && growth < maxGrowth;
            System.out.printf(java.util.Locale.ROOT,
                    "SOAK engine=%s threads=%d requests=%d (warm-up %d + measured %d) served=%d failures=%d wrong=%d "
                            + "cancelled=%d (before start %d, finished and checked %d, failed %d %s) "
                            + "interrupted=%d (finished %d, failed %d, flag lost %d) vectorsChecked=%d "
                            + "maxDiffSingle=%.2e maxDiffBatched=%.2e measuredSeconds=%.1f loadSeconds=%.1f "
                            + "rssWarmKb=%d rssEndKb=%d rssMaxKb=%d rssGrowth=%+.2f%% nmtWarmKb=%d nmtEndKb=%d "
                            + "serialRecheck=%s result=%s%n",
                    engine, threads, warmup + issued, warmup, issued, served.get(), failures.get(), wrong.get(),
                    cancelled.get(), cancelledBeforeStart.get(), cancelledFinished.get(), cancelledFailed.get(),
                    cancelErrors, interrupted.get(), interruptedFinished.get(), interruptedFailed.get(),
                    interruptFlagLost.get(), vectorsChecked.get(), Double.longBitsToDouble(maxSingleDiff.get()),
                    Double.longBitsToDouble(maxBatchDiff.get()), seconds, loadSeconds, rssWarm, rssEnd, rssMax.get(),
                    growth * 100, nmtWarm, nmtEnd, recheck == null ? "same" : recheck, ok ? "PASS" : "FAIL");
            if (warmServed == 0) {
                ok = false;
            }
            synchronized (perKind) {
                StringBuilder k = new StringBuilder("SOAK kinds engine=" + engine + ":");
                for (Map.Entry<String, long[]> e : perKind.entrySet()) {
                    k.append(String.format(java.util.Locale.ROOT, " %s=%d (%.1f ms avg)", e.getKey(), e.getValue()[0],
                            e.getValue()[1] / 1e6 / Math.max(1, e.getValue()[0])));
                }
                System.out.println(k);
            }
            synchronized (failureMessages) {
                for (String m : failureMessages) {
                    System.out.println("SOAK failure: " + m);
                }
            }
            if (growth >= maxGrowth) {
                System.out.printf(java.util.Locale.ROOT, "SOAK failure: VmRSS grew %.2f%% (%d kB -> %d kB), bound %.1f%%%n",
                        growth * 100, rssWarm, rssEnd, maxGrowth * 100);
            }
            return ok;
        } finally {
            cancelPool.shutdownNow();
            embedder.close();
            resnet.close();
            nsfw.close();
        }
    }

    /**
     * Prints where resident memory is at this point ({@link NativeHeap#snapshot}: RSS by kind, glibc malloc held / in
     * use / free, arenas). With {@code -Dsoak.dumpDir=DIR} also keeps {@code /proc/self/smaps} and glibc's
     * {@code malloc_info} XML there ({@code smaps-ENGINE-POINT.txt}, {@code malloc-ENGINE-POINT.xml}) to diff by mapping.
     */
    private void memoryPoint(String point) {
        String dir = System.getProperty("soak.dumpDir", "");
        try {
            java.nio.file.Path xml;
            if (dir.isEmpty()) {
                xml = java.nio.file.Files.createTempFile("soak-malloc", ".xml");
            } else {
                java.nio.file.Path d = java.nio.file.Files.createDirectories(java.nio.file.Paths.get(dir));
                xml = d.resolve("malloc-" + engine + "-" + point + ".xml");
                java.nio.file.Files.copy(java.nio.file.Paths.get("/proc/self/smaps"), d.resolve("smaps-" + engine + "-" + point
                        + ".txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.println("SOAK memory engine=" + engine + " point=" + point + " " + NativeHeap.snapshot(xml));
            if (dir.isEmpty()) {
                java.nio.file.Files.deleteIfExists(xml);
            }
        } catch (java.io.IOException e) {
            System.out.println("SOAK memory engine=" + engine + " point=" + point + " unavailable: " + e);
        }
    }

    /**
     * VmRSS at rest: after {@code System.gc()}, the lowest of samples taken every 100 ms for {@code soak.settleMillis}
     * (3000). The djl engine gives glibc's freed memory back every 2 s ({@code nnsdk.djl.trimSeconds}), so one
     * sample lands anywhere between the trimmed floor and up to 2 s of freed memory above it; the lowest sample over
     * more than one interval is the floor, measured the same way after the warm-up and at the end.
     */
    private static long settledRssKb() throws Exception {
        System.gc();
        Thread.sleep(300);
        long settle = Long.getLong("soak.settleMillis", 3000L);
        long min = ProcessMemory.rssKb();
        for (long t = 0; t < settle; t += 100) {
            Thread.sleep(100);
            min = Math.min(min, ProcessMemory.rssKb());
        }
        return min;
    }

    /**
     * First part of the warm-up: every thread at once sends the largest requests the mix can make (a batch of
     * long texts padded to 256 word pieces, the 200,000-character text, the largest image batches), so the
     * native allocators (ONNX Runtime's arena, libtorch's caching, glibc's per-thread arenas) reach the
     * high-water mark of the mix before the measurement starts instead of during it.
     */
    private void runPeak() throws InterruptedException {
        List<Thread> workers = new ArrayList<Thread>();
        int huge = SoakInputs.FIRST_ORDINARY - 1;
        List<String> longBatch = new ArrayList<String>();
        for (int k = 0; k < MAX_BATCH_WITH_LONG_TEXT; k++) {
            longBatch.add(inputs.texts.get(SoakInputs.FIRST_LONG + k % (SoakInputs.FIRST_ORDINARY - SoakInputs.FIRST_LONG)));
        }
        List<String> shortBatch = new ArrayList<String>(inputs.texts.subList(SoakInputs.FIRST_ORDINARY,
                SoakInputs.FIRST_ORDINARY + 16));
        List<Image> imageBatch = new ArrayList<Image>(inputs.images.subList(inputs.images.size() - 4, inputs.images.size()));
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    embedder.embedAll(longBatch);
                    embedder.embedAll(shortBatch);
                    embedder.embed(inputs.texts.get(huge));
                    resnet.featuresAll(imageBatch);
                    nsfw.classifyAll(inputs.nsfwImages, 1);
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    fail("peak warm-up: " + e);
                }
            }, "soak-peak-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
    }

    /** Requests [from, to) on {@code threads} threads; stops issuing at the deadline; returns how many were issued. */
    private int runPhase(int from, int to, long deadlineSeconds) throws Exception {
        final long deadline = deadlineSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(deadlineSeconds) : Long.MAX_VALUE;
        final AtomicInteger next = new AtomicInteger(from);
        final AtomicInteger issued = new AtomicInteger();
        List<Thread> workers = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                int i;
                while (System.nanoTime() < deadline && (i = next.getAndIncrement()) < to) {
                    issued.incrementAndGet();
                    request(i);
                    if ((i + 1) % Math.max(1, requests / 10) == 0) {
                        progress(i + 1);
                    }
                }
            }, "soak-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        return issued.get();
    }

    private void progress(int done) {
        try {
            System.out.printf(java.util.Locale.ROOT, "soak %s: %d requests, served %d, VmRSS %d kB, NMT %d kB%n", engine,
                    done, served.get(), ProcessMemory.rssKb(), ProcessMemory.nmtCommittedKb());
        } catch (java.io.IOException e) {
            System.out.println("soak " + engine + ": " + done + " requests (" + e + ")");
        }
    }

    /** A request whose answer is checked against the serial run; throws AssertionError when it is wrong. */
    private interface Call {
        void run();
    }

    /** Counts and time per kind of request (for the figures, not asserted). */
    private final Map<String, long[]> perKind = new TreeMap<String, long[]>();

    private Call timed(String kind, Call call) {
        return () -> {
            long t = System.nanoTime();
            try {
                call.run();
            } finally {
                long dt = System.nanoTime() - t;
                synchronized (perKind) {
                    long[] a = perKind.computeIfAbsent(kind, x -> new long[2]);
                    a[0]++;
                    a[1] += dt;
                }
            }
        };
    }

    /** Request number {@code i}: the same request for the same seed, whatever thread runs it. */
    private void request(int i) {
        Random r = new Random(seed * 1_000_003L + i);
        Call call = call(r);
        double u = r.nextDouble();
        if (!CANCEL) {
            u = 1;
        }
        if (u < 0.08) {
            cancelled(call, r);
        } else if (u < 0.12) {
            interrupted(call);
        } else {
            try {
                call.run();
                served.incrementAndGet();
            } catch (AssertionError e) {
                wrong.incrementAndGet();
                fail("request " + i + ": wrong answer: " + e.getMessage());
            } catch (Throwable e) {
                failures.incrementAndGet();
                fail("request " + i + ": " + e);
            }
        }
    }

    private Call call(Random r) {
        int kind = r.nextInt(100);
        String mix = System.getProperty("soak.mix", "all");
        if (mix.equals("text")) {
            kind = kind % 33;
        } else if (mix.equals("image")) {
            kind = 33 + kind % 67;
        }
        return timed(KINDS[kind < 25 ? 0 : kind < 33 ? 1 : kind < 60 ? 2 : kind < 84 ? 3 : kind < 97 ? 4 : 5], call(r, kind));
    }

    /** {@code soak.cancel=false} runs the cancelled and interrupted requests as plain ones (to isolate their effect). */
    private static final boolean CANCEL = !"false".equals(System.getProperty("soak.cancel"));

    private static final String[] KINDS = {"embed", "embedAll", "classify", "features", "featuresAll", "nsfwClassify"};

    private Call call(Random r, int kind) {
        if (kind < 25) {
            int t = inputs.pickText(r, true);
            return () -> checkSingle(inputs.textVectors[t], embedder.embed(inputs.texts.get(t)), "embed text " + t);
        }
        if (kind < 33) {
            int n = 1 + (int) (16 * Math.pow(r.nextDouble(), 2));
            int[] idx = new int[n];
            List<String> batch = new ArrayList<String>(n);
            boolean withLong = n <= MAX_BATCH_WITH_LONG_TEXT && r.nextInt(100) < 10;
            for (int k = 0; k < n; k++) {
                idx[k] = withLong && k == n / 2 ? inputs.pickLongText(r) : inputs.pickText(r, false);
                batch.add(inputs.texts.get(idx[k]));
            }
            return () -> {
                List<float[]> out = embedder.embedAll(batch);
                check(out.size() == n, "embedAll of " + n + " returned " + out.size());
                for (int k = 0; k < n; k++) {
                    checkBatched(inputs.textVectors[idx[k]], out.get(k), true, "embedAll item " + k + " (text " + idx[k] + ")");
                }
            };
        }
        if (kind < 60) {
            int m = r.nextInt(inputs.images.size());
            int classes = inputs.imageProbs[m].length;
            int k = 1 + r.nextInt(classes + 2);
            return () -> checkTopK(inputs.imageProbs[m], resnet.labels(), resnet.classify(inputs.images.get(m), k), k,
                    "classify image " + m);
        }
        if (kind < 84) {
            int m = r.nextInt(inputs.images.size());
            return () -> checkSingle(inputs.imageFeatures[m], resnet.features(inputs.images.get(m)), "features image " + m);
        }
        if (kind < 97) {
            int n = 1 + r.nextInt(4);
            int[] idx = new int[n];
            List<Image> batch = new ArrayList<Image>(n);
            for (int k = 0; k < n; k++) {
                idx[k] = r.nextInt(inputs.images.size());
                batch.add(inputs.images.get(idx[k]));
            }
            return () -> {
                List<float[]> out = resnet.featuresAll(batch);
                check(out.size() == n, "featuresAll of " + n + " returned " + out.size());
                for (int k = 0; k < n; k++) {
                    checkBatched(inputs.imageFeatures[idx[k]], out.get(k), false, "featuresAll item " + k + " (image " + idx[k] + ")");
                }
            };
        }
        int m = r.nextInt(inputs.nsfwImages.size());
        int k = 1 + r.nextInt(5);
        return () -> checkTopK(inputs.nsfwProbs[m], nsfw.labels(), nsfw.classify(inputs.nsfwImages.get(m), k), k,
                "nsfw classify image " + m);
    }

    /**
     * Runs the call on the cancellable pool and cancels its future (with interruption) 0 to 3 ms later. It may
     * not have started (then it never runs), may fail, or may finish, in which case its answer was checked.
     */
    private void cancelled(Call call, Random r) {
        cancelled.incrementAndGet();
        AtomicInteger state = new AtomicInteger(); // 0 queued, 1 started, 2 abandoned
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] error = new Throwable[1];
        Future<?> f = cancelPool.submit(() -> {
            if (!state.compareAndSet(0, 1)) {
                return;
            }
            try {
                call.run();
            } catch (Throwable e) {
                error[0] = e;
            } finally {
                done.countDown();
            }
        });
        LockSupport.parkNanos(r.nextInt(3000) * 1000L);
        f.cancel(true);
        if (state.compareAndSet(0, 2)) {
            cancelledBeforeStart.incrementAndGet();
            return;
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Throwable e = error[0];
        if (e == null) {
            cancelledFinished.incrementAndGet();
        } else if (e instanceof AssertionError) {
            wrong.incrementAndGet();
            fail("cancelled request gave a wrong answer: " + e.getMessage());
        } else {
            cancelledFailed.incrementAndGet();
            synchronized (cancelErrors) {
                cancelErrors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            }
        }
    }

    /** Runs the call with this thread's interrupt flag set; it may fail, but a finished answer must be right. */
    private void interrupted(Call call) {
        interrupted.incrementAndGet();
        Thread.currentThread().interrupt();
        try {
            call.run();
            interruptedFinished.incrementAndGet();
        } catch (AssertionError e) {
            wrong.incrementAndGet();
            fail("interrupted request gave a wrong answer: " + e.getMessage());
        } catch (Throwable e) {
            interruptedFailed.incrementAndGet();
            synchronized (cancelErrors) {
                cancelErrors.merge("interrupted:" + e.getClass().getSimpleName(), 1, Integer::sum);
            }
        } finally {
            if (!Thread.interrupted()) {
                interruptFlagLost.incrementAndGet();
            }
        }
    }

    /** Repeats the serial run on the same predictors after the load; null when every answer is the same. */
    private String recheckSerially() {
        SoakInputs again;
        try {
            again = SoakInputs.create(seed);
            again.computeExpected(embedder, resnet, nsfw);
        } catch (Exception e) {
            return "failed: " + e;
        }
        List<String> diffs = new ArrayList<String>();
        compareAll(inputs.textVectors, again.textVectors, "text", diffs);
        compareAll(inputs.imageFeatures, again.imageFeatures, "image features", diffs);
        compareAll(inputs.imageProbs, again.imageProbs, "image probs", diffs);
        compareAll(inputs.nsfwProbs, again.nsfwProbs, "nsfw probs", diffs);
        return diffs.isEmpty() ? null : diffs.toString();
    }

    private static void compareAll(float[][] a, float[][] b, String what, List<String> diffs) {
        for (int i = 0; i < a.length; i++) {
            double d = maxAbs(a[i], b[i]);
            if (d > SINGLE_TOLERANCE) {
                diffs.add(what + " " + i + " differs by " + d);
            }
        }
    }

    private void checkSingle(float[] expected, float[] got, String what) {
        double d = maxAbs(expected, got);
        maxSingleDiff.accumulate(Double.doubleToLongBits(d));
        vectorsChecked.incrementAndGet();
        check(d <= SINGLE_TOLERANCE, what + ": max abs difference " + d + " from the serial run");
    }

    private void checkBatched(float[] expected, float[] got, boolean cosine, String what) {
        double d = maxAbs(expected, got);
        maxBatchDiff.accumulate(Double.doubleToLongBits(d));
        vectorsChecked.incrementAndGet();
        check(d <= BATCH_TOLERANCE, what + ": max abs difference " + d + " from the serial run");
        if (cosine) {
            double c = cosine(expected, got);
            check(c >= BATCH_MIN_COSINE, what + ": cosine " + c + " to the serial run");
        }
    }

    /** The top k: each score within 1e-5 of the serial probability of its class, best first, none better left out. */
    private void checkTopK(float[] probs, List<String> labels, List<Classification> got, int k, String what) {
        vectorsChecked.incrementAndGet();
        check(got.size() == Math.min(k, probs.length), what + ": top-" + k + " has " + got.size() + " entries");
        boolean[] in = new boolean[probs.length];
        float prev = Float.POSITIVE_INFINITY;
        float lowest = Float.POSITIVE_INFINITY;
        double worst = 0;
        for (Classification c : got) {
            int i = c.index();
            double d = Math.abs(c.score() - probs[i]);
            worst = Math.max(worst, d);
            check(d <= SINGLE_TOLERANCE, what + ": class " + i + " score " + c.score() + ", serial " + probs[i]);
            check(c.score() <= prev, what + ": not best first: " + got);
            check(c.label().equals(labels.isEmpty() ? String.valueOf(i) : labels.get(i)), what + ": label " + c.label()
                    + " for class " + i);
            in[i] = true;
            prev = c.score();
            lowest = Math.min(lowest, probs[i]);
        }
        maxSingleDiff.accumulate(Double.doubleToLongBits(worst));
        for (int i = 0; i < probs.length; i++) {
            check(in[i] || probs[i] <= lowest + SINGLE_TOLERANCE, what + ": class " + i + " (" + probs[i]
                    + ") left out of " + got);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    private void fail(String message) {
        synchronized (failureMessages) {
            if (failureMessages.size() < 20) {
                failureMessages.add(message);
            }
        }
    }

    static double maxAbs(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 && nb == 0 ? 1 : dot / Math.sqrt(na * nb);
    }

    @Override
    public String toString() {
        return "MixedSoak(" + engine + ", " + Arrays.asList(requests, threads, seed) + ")";
    }
}
