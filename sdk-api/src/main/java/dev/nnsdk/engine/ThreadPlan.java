package dev.nnsdk.engine;

/**
 * How a text model spends its cores: how many engine calls run at once, and how many intra-op
 * threads each call gets. Immutable.
 *
 * <p>The rule ({@link #forBudget}), for a budget of {@code B} threads (the {@code threads} option,
 * or the number of cores when it is 0):
 * <ul>
 *   <li>{@code threadsPerCall = ceil(B / 8)}, {@code callsAtOnce = max(1, B / threadsPerCall)}: up to
 *       8 cores every call is single-threaded and there are as many calls at once as cores; above 8,
 *       at most 8 calls at once, each on {@code B/8} threads (16 cores: 8 x 2, 64 cores: 8 x 8).</li>
 *   <li>Why single-threaded calls: at BERT-small shapes (K = 384, a few hundred rows) one GEMM split
 *       over threads spends much of its time in the fork/join and in waiting for the slowest
 *       thread, and the non-GEMM work between the GEMMs (softmax, layer norm, GELU, transposes) is
 *       hardly parallel; whole calls side by side have neither cost. Measured on 2 cores
 *       (docs/benchmarks.md, section "Threads and batches"): 2 calls x 1 thread (and a 640-token budget)
 *       cost 0.88x the CPU time of 1 call x 2 threads (1,024 tokens) for MiniLM fp32 on 2,000 IMDB reviews; on
 *       djl, where libtorch's OpenMP threads spin at every barrier, 0.22x. In dynamic int8 (one text per call)
 *       calls side by side are the only way to use the second core at all.</li>
 *   <li>Why at most 8 at once: each call in flight holds its own activations (about
 *       {@code tokens x (12 x hidden + heads x seq)} floats, 10-20 MB for a 640-token batch of a
 *       384-wide model) and a caller's {@code embedAll} needs at least {@code callsAtOnce} batches to
 *       keep every call busy; 8 bounds both while, from 16 cores on, every call still gets enough rows
 *       (a 640-token batch) per thread for the GEMMs to split well. Not measured on a many-core machine:
 *       a reasoned default, which {@code -Dnnsdk.batchParallelism=N} overrides.</li>
 * </ul>
 * The system property {@code nnsdk.batchParallelism} (N >= 1) fixes {@code callsAtOnce = N} and
 * {@code threadsPerCall = max(1, B / N)}.
 *
 * <pre>{@code
 * ThreadPlan p = ThreadPlan.forBudget(options.threads());   // 2 cores, threads 0: 2 calls x 1 thread
 * }</pre>
 */
public final class ThreadPlan {

    /** System property overriding the number of calls at once. */
    public static final String PARALLELISM_PROPERTY = "nnsdk.batchParallelism";
    /** Most calls at once the rule chooses by itself. */
    public static final int MAX_CALLS_AT_ONCE = 8;

    private final int callsAtOnce;
    private final int threadsPerCall;

    private ThreadPlan(int callsAtOnce, int threadsPerCall) {
        this.callsAtOnce = callsAtOnce;
        this.threadsPerCall = threadsPerCall;
    }

    /** The plan for {@code threads} (0 = one per core of this machine), honouring {@link #PARALLELISM_PROPERTY}. */
    public static ThreadPlan forBudget(int threads) {
        return forBudget(threads, Runtime.getRuntime().availableProcessors(), parallelismProperty());
    }

    /**
     * The rule itself.
     *
     * @param threads     the threads option (0 = {@code cores})
     * @param cores       cores of the machine (>= 1)
     * @param parallelism calls at once asked for explicitly, or 0 to choose
     */
    public static ThreadPlan forBudget(int threads, int cores, int parallelism) {
        if (threads < 0 || cores < 1 || parallelism < 0) {
            throw new IllegalArgumentException("threads and parallelism must be >= 0 and cores >= 1, got "
                    + threads + ", " + cores + ", " + parallelism);
        }
        int budget = threads > 0 ? threads : cores;
        if (parallelism > 0) {
            return new ThreadPlan(parallelism, Math.max(1, budget / parallelism));
        }
        int perCall = (budget + MAX_CALLS_AT_ONCE - 1) / MAX_CALLS_AT_ONCE;
        return new ThreadPlan(Math.max(1, budget / perCall), perCall);
    }

    private static int parallelismProperty() {
        String v = System.getProperty(PARALLELISM_PROPERTY);
        if (v == null || v.trim().isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PARALLELISM_PROPERTY + " must be a whole number >= 1, got '" + v + "'");
        }
    }

    /** Engine calls run at once. */
    public int callsAtOnce() {
        return callsAtOnce;
    }

    /** Intra-op threads each engine call uses. */
    public int threadsPerCall() {
        return threadsPerCall;
    }

    @Override
    public String toString() {
        return callsAtOnce + " call(s) at once x " + threadsPerCall + " thread(s)";
    }
}
