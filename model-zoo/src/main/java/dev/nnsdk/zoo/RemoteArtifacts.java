package dev.nnsdk.zoo;

import dev.nnsdk.ChecksumMismatchException;
import dev.nnsdk.ModelLoadException;
import dev.nnsdk.io.Checksums;
import dev.nnsdk.SdkSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Downloads remote model artifacts ({@code https://} or {@code http://}) into the cache
 * ({@code <cache>/artifacts/<sha256>/<name>}), only when the user allowed it
 * ({@link SdkSettings#offline()}).
 *
 * <p>The body goes to a temporary file in the cache directory, its SHA-256 computed while it streams;
 * only a complete body with the recorded checksum is renamed to the final name. A wrong checksum, a
 * truncated body, an HTTP error or a server silent for longer than the timeout each throw an error
 * naming the URL and leave nothing in the cache.
 */
final class RemoteArtifacts {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteArtifacts.class);

    private RemoteArtifacts() {
    }

    /** Whether {@code source} names a remote artifact. */
    static boolean isRemote(String source) {
        String s = source.toLowerCase(java.util.Locale.ROOT);
        return s.startsWith("https://") || s.startsWith("http://");
    }

    /**
     * The cached file for {@code url}, downloaded first when missing and downloads are allowed.
     *
     * @param sha256   the recorded checksum (lower-case hex)
     * @param fileName the name in the cache (a plain file name)
     */
    static Path fetch(URI url, String sha256, String fileName) {
        Path dir = ArtifactCache.root().resolve(sha256);
        Path target = dir.resolve(fileName);
        if (Files.isRegularFile(target)) {
            return target;
        }
        if (SdkSettings.offline()) {
            throw new ModelLoadException("Model artifact " + url + " is not in the cache (" + target + ") and the SDK is "
                    + "offline by default, so it was not downloaded. To allow downloads, set the system property "
                    + SdkSettings.OFFLINE_PROPERTY + "=false or the environment variable " + SdkSettings.OFFLINE_ENV
                    + "=false; or put the file (SHA-256 " + sha256 + ") at that path yourself.");
        }
        boolean createdDir = !Files.isDirectory(dir);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + fileName, ".part");
            try {
                download(url, tmp, sha256);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.info("Downloaded {} to {}", url, target);
                return target;
            } finally {
                Files.deleteIfExists(tmp);
                if (createdDir && !Files.exists(target)) {
                    deleteIfEmpty(dir);
                }
            }
        } catch (IOException e) {
            throw new ModelLoadException("Cannot store the download of " + url + " in the cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes a directory this download created, unless something else is in it now; never throws. */
    private static void deleteIfEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                return;
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // another download put a file there meanwhile: keep the directory
        }
    }

    private static void download(URI url, Path tmp, String sha256) throws IOException {
        long timeout = SdkSettings.downloadTimeoutMillis();
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(timeout))
                .followRedirects(HttpClient.Redirect.NORMAL) // never from https to http
                .build();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofMillis(timeout)) // until the response headers arrive
                .header("User-Agent", "nnsdk")
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ModelLoadException("Download of " + url + " timed out: no answer within " + seconds(timeout)
                    + " (set " + SdkSettings.DOWNLOAD_TIMEOUT_PROPERTY + " to wait longer)", e);
        } catch (ConnectException e) {
            throw new ModelLoadException("Download of " + url + " failed: cannot connect (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelLoadException("Download of " + url + " was interrupted", e);
        } catch (IOException e) {
            throw new ModelLoadException("Download of " + url + " failed: " + e, e);
        }
        int status = response.statusCode();
        if (status != 200) {
            response.body().close();
            throw new ModelLoadException("Download of " + url + " failed: HTTP status " + status);
        }
        OptionalLong declared = response.headers().firstValueAsLong("Content-Length");
        MessageDigest md = Checksums.newDigest();
        long received = 0;
        Watchdog watchdog = new Watchdog(response.body(), timeout);
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(tmp)) {
            watchdog.start();
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                watchdog.progress();
                md.update(buf, 0, n);
                out.write(buf, 0, n);
                received += n;
            }
        } catch (IOException e) {
            if (watchdog.fired()) {
                throw new ModelLoadException("Download of " + url + " stalled: no data for " + seconds(timeout) + " after "
                        + received + " bytes (set " + SdkSettings.DOWNLOAD_TIMEOUT_PROPERTY + " to wait longer)", e);
            }
            throw new ModelLoadException("Download of " + url + " broke off after " + received + " bytes"
                    + (declared.isPresent() ? " of " + declared.getAsLong() : "") + ": " + e.getMessage(), e);
        } finally {
            watchdog.stop();
        }
        if (watchdog.fired()) {
            throw new ModelLoadException("Download of " + url + " stalled: no data for " + seconds(timeout) + " after "
                    + received + " bytes");
        }
        if (declared.isPresent() && declared.getAsLong() != received) {
            throw new ModelLoadException("Download of " + url + " is truncated: received " + received + " of "
                    + declared.getAsLong() + " bytes");
        }
        String actual = Checksums.hex(md.digest());
        if (!actual.equals(sha256)) {
            throw new ChecksumMismatchException(url.toString(), sha256, actual);
        }
    }

    private static String seconds(long millis) {
        return (millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.valueOf(millis / 1000.0)) + " s";
    }

    /** Closes the body stream when no byte arrived for {@code timeout} ms, which ends a blocked read. */
    private static final class Watchdog implements Runnable {
        private final InputStream body;
        private final long timeout;
        private final Thread thread;
        private volatile long last = System.nanoTime();
        private volatile boolean fired;
        private volatile boolean stopped;

        Watchdog(InputStream body, long timeout) {
            this.body = body;
            this.timeout = timeout;
            this.thread = new Thread(this, "nnsdk-download-watchdog");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void progress() {
            last = System.nanoTime();
        }

        boolean fired() {
            return fired;
        }

        void stop() {
            stopped = true;
            thread.interrupt();
        }

        @Override
        public void run() {
            long step = Math.max(10L, Math.min(1000L, timeout / 4));
            while (!stopped) {
                try {
                    Thread.sleep(step);
                } catch (InterruptedException e) {
                    return;
                }
                if (!stopped && (System.nanoTime() - last) / 1_000_000L >= timeout) {
                    fired = true;
                    try {
                        body.close();
                    } catch (IOException ignored) {
                        // closing is all we can do
                    }
                    return;
                }
            }
        }
    }
}
