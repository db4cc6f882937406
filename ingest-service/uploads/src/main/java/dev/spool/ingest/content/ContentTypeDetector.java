package dev.spool.ingest.content;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.tika.Tika;
import org.springframework.stereotype.Component;

/**
 * Detects a file's media type from its first bytes. The filename is deliberately not passed to Tika as a hint: with
 * one, random bytes look like text and an empty file like a PDF.
 *
 * <p>Tika's magic bytes alone call every OOXML file {@code application/x-tika-ooxml} (or {@code application/zip}
 * when the writer did not put {@code [Content_Types].xml} first) and 8-bit text such as Latin-1 unknown binary, so
 * both are refined here from the bytes at hand, without reading the rest of the file.
 */
@Component
public class ContentTypeDetector {

    static final String OOXML = "application/x-tika-ooxml";
    static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    private static final String ZIP = "application/zip";
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final String TEXT = "text/plain";
    private static final byte[] LOCAL_HEADER = {'P', 'K', 3, 4};
    private static final int NAME_LENGTH_OFFSET = 26;
    private static final int NAME_OFFSET = 30;
    private static final int TEXT_SAMPLE = 8 * 1024;

    private final Tika tika = new Tika();

    /** The detected media type, {@code application/octet-stream} when nothing matches. */
    public String detect(byte[] firstBytes) {
        String detected = tika.detect(firstBytes);
        if (OOXML.equals(detected) || ZIP.equals(detected)) {
            return officeType(firstBytes, detected);
        }
        if (OCTET_STREAM.equals(detected) && looksLikeEightBitText(firstBytes)) {
            return TEXT;
        }
        return detected;
    }

    /** Names the OOXML kind from the zip entries in view: {@code word/}, {@code xl/} or {@code ppt/}. */
    private static String officeType(byte[] bytes, String detected) {
        boolean ooxml = OOXML.equals(detected);
        for (int at = indexOf(bytes, 0); at >= 0; at = indexOf(bytes, at + LOCAL_HEADER.length)) {
            String name = entryName(bytes, at);
            if (name.startsWith("word/")) {
                return DOCX;
            }
            if (name.startsWith("xl/")) {
                return XLSX;
            }
            if (name.startsWith("ppt/")) {
                return PPTX;
            }
            ooxml |= "[Content_Types].xml".equals(name);
        }
        return ooxml ? OOXML : detected;
    }

    private static String entryName(byte[] bytes, int header) {
        if (header + NAME_OFFSET > bytes.length) {
            return "";
        }
        int length = (bytes[header + NAME_LENGTH_OFFSET] & 0xff) | (bytes[header + NAME_LENGTH_OFFSET + 1] & 0xff) << 8;
        int end = Math.min(bytes.length, header + NAME_OFFSET + length);
        return new String(bytes, header + NAME_OFFSET, end - header - NAME_OFFSET, StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] bytes, int from) {
        outer:
        for (int i = from; i <= bytes.length - LOCAL_HEADER.length; i++) {
            for (int j = 0; j < LOCAL_HEADER.length; j++) {
                if (bytes[i + j] != LOCAL_HEADER[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Single-byte text (Latin-1, Windows-1252): no NUL, almost no control characters other than whitespace, and
     * mostly ASCII. Random or compressed bytes fail all three by a wide margin.
     */
    static boolean looksLikeEightBitText(byte[] bytes) {
        byte[] sample = bytes.length > TEXT_SAMPLE ? Arrays.copyOf(bytes, TEXT_SAMPLE) : bytes;
        if (sample.length == 0) {
            return false;
        }
        int controls = 0;
        int high = 0;
        for (byte b : sample) {
            int c = b & 0xff;
            if (c == 0) {
                return false;
            }
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f) {
                controls++;
            } else if (c >= 0x80) {
                high++;
            }
        }
        return controls * 200 <= sample.length && high * 3 <= sample.length;
    }
}
