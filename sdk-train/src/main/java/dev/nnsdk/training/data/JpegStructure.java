package dev.nnsdk.training.data;

/**
 * Walks a JPEG's marker segments (skipping their payloads, so an EXIF thumbnail does not count) and
 * the entropy-coded data after each start-of-scan, and tells whether the end-of-image marker is
 * reached before the bytes run out. Trailing bytes after the marker are allowed, as decoders allow them.
 */
final class JpegStructure {
    private JpegStructure() {
    }

    static boolean complete(byte[] b) {
        int n = b.length;
        int i = 2; // after SOI
        while (i + 1 < n) {
            if ((b[i] & 0xFF) != 0xFF) {
                i++; // stray byte between segments: decoders skip it
                continue;
            }
            int m = b[i + 1] & 0xFF;
            if (m == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (m == 0xD9) {
                return true;
            }
            if (m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {
                i += 2; // markers without a payload
                continue;
            }
            if (i + 3 >= n) {
                return false;
            }
            int length = (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
            i += 2 + length;
            if (m == 0xDA) {
                // entropy-coded data: ends at a marker other than stuffing (FF 00) and restarts (FF D0-D7)
                while (i + 1 < n) {
                    if ((b[i] & 0xFF) == 0xFF) {
                        int next = b[i + 1] & 0xFF;
                        if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7) && next != 0xFF) {
                            break;
                        }
                    }
                    i++;
                }
            }
        }
        return false;
    }
}
