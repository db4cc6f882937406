package dev.spool.ingest.download;

import java.nio.charset.StandardCharsets;
import org.springframework.http.ContentDisposition;

/** The names a browser saves downloads under, and the {@code Content-Disposition} that tells it to. */
final class DownloadNames {

    private DownloadNames() {
    }

    /** The original's name: the uploaded filename, or the job id when the job has none on record. */
    static String original(String filename, String jobId) {
        return filename == null || filename.isBlank() ? jobId : filename;
    }

    /**
     * The text's name: the original's without its last extension, plus {@code .txt} ({@code report.pdf} becomes
     * {@code report.txt}), as the page has always named it.
     */
    static String text(String filename, String jobId) {
        String name = original(filename, jobId);
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + ".txt";
    }

    /**
     * {@code attachment; filename="…"}: saved, never shown in the tab. A name beyond ASCII also goes as RFC 6266's
     * {@code filename*} in UTF-8, which browsers prefer.
     */
    static String attachment(String name) {
        ContentDisposition.Builder attachment = ContentDisposition.attachment();
        boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(name);
        return (ascii ? attachment.filename(name) : attachment.filename(name, StandardCharsets.UTF_8)).build().toString();
    }
}
