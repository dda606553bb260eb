package dev.nnsdk.it.support;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where this process's resident memory is, for the soak's figures: the kinds of resident pages
 * ({@code RssAnon}, {@code RssFile} from {@code /proc/self/status}) and glibc {@code malloc}'s own view
 * ({@code mallinfo2}: bytes the allocator holds from the OS, bytes in use, bytes free inside it; and the
 * number of arenas from {@code malloc_info}), through JNA (glibc 2.33 and later; elsewhere {@link #snapshot}
 * reports what it can). Test support only: the SDK itself does not call it.
 */
public final class NativeHeap {

    /** glibc's {@code struct mallinfo2} (all {@code size_t}). */
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;

        @Override
        protected List<String> getFieldOrder() {
            return Arrays.asList("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                    "fordblks", "keepcost");
        }
    }

    /** The libc functions used. */
    interface LibC extends Library {
        MallInfo2 mallinfo2();

        int malloc_info(int options, Pointer stream);

        Pointer fopen(String path, String mode);

        int fclose(Pointer stream);
    }

    private static final LibC C = load();

    private NativeHeap() {
    }

    private static LibC load() {
        try {
            return Native.load("c", LibC.class);
        } catch (Throwable t) {
            return null;
        }
    }

    /** One line of figures in kB: RSS by kind, and malloc's held / in use / free / mmapped bytes and arena count. */
    public static String snapshot(Path mallocInfoOut) {
        StringBuilder sb = new StringBuilder();
        try {
            String status = new String(Files.readAllBytes(Paths.get("/proc/self/status")), StandardCharsets.US_ASCII);
            for (String key : new String[] {"VmRSS", "RssAnon", "RssFile", "RssShmem", "Threads"}) {
                Matcher m = Pattern.compile("(?m)^" + key + ":\\s+(\\d+)").matcher(status);
                if (m.find()) {
                    sb.append(key).append('=').append(m.group(1)).append(' ');
                }
            }
        } catch (IOException e) {
            sb.append("status=").append(e).append(' ');
        }
        if (C == null) {
            return sb.append("malloc=unavailable").toString();
        }
        try {
            MallInfo2 mi = C.mallinfo2();
            sb.append(String.format(Locale.ROOT, "mallocHeldKb=%d mallocInUseKb=%d mallocFreeKb=%d mallocMmapKb=%d "
                            + "mallocTopPadKb=%d", (mi.arena + mi.hblkhd) / 1024, (mi.uordblks + mi.hblkhd) / 1024,
                    mi.fordblks / 1024, mi.hblkhd / 1024, mi.keepcost / 1024));
        } catch (Throwable t) {
            sb.append("mallinfo2=").append(t.getClass().getSimpleName());
        }
        if (mallocInfoOut != null) {
            try {
                Pointer f = C.fopen(mallocInfoOut.toString(), "w");
                if (f != null) {
                    C.malloc_info(0, f);
                    C.fclose(f);
                    String xml = new String(Files.readAllBytes(mallocInfoOut), StandardCharsets.US_ASCII);
                    int heaps = 0;
                    Matcher m = Pattern.compile("<heap nr=").matcher(xml);
                    while (m.find()) {
                        heaps++;
                    }
                    sb.append(" arenas=").append(heaps);
                }
            } catch (Throwable t) {
                sb.append(" malloc_info=").append(t.getClass().getSimpleName());
            }
        }
        return sb.toString().trim();
    }
}
