package dev.spool.ingest.upload;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.util.Locale;

/**
 * The size and count limits of one upload request, enforced while the bytes stream in: the byte that crosses a
 * limit fails the request, so an oversize upload costs at most the limit in bandwidth and nothing in storage.
 *
 * @param maxFileBytes largest single file
 * @param maxRequestBytes largest total of a request's files
 * @param maxFiles most files in a request
 */
public record UploadLimits(long maxFileBytes, long maxRequestBytes, int maxFiles) {

    public UploadLimits {
        if (maxFileBytes < 1 || maxRequestBytes < 1 || maxFiles < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** Fails when a request declares a body that cannot fit, before a byte of it is read. */
    public void checkDeclaredLength(long contentLength, long framingAllowance) {
        if (contentLength > maxRequestBytes + framingAllowance) {
            throw requestTooLarge();
        }
    }

    /** A fresh tally for one request. */
    public Tally tally() {
        return new Tally();
    }

    private SpoolProblem requestTooLarge() {
        return new SpoolProblem(ProblemCode.REQUEST_TOO_LARGE, "The files of one request may total at most "
                + describe(maxRequestBytes) + "; send them in several requests.")
                .withProperty("limitBytes", maxRequestBytes);
    }

    /** Human-readable size in binary units, as shown in problem details. */
    public static String describe(long bytes) {
        if (bytes < 1024) {
            return bytes == 1 ? "1 byte" : bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        // Moves up while the value would print as 1024.0 or more, so 1048575 bytes reads 1.0 MiB, not 1024.0 KiB.
        while (value >= 1023.95 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        double tenths = Math.round(value * 10) / 10.0;
        return tenths == Math.rint(tenths) ? String.format(Locale.ROOT, "%.0f %s", tenths, units[unit])
                : String.format(Locale.ROOT, "%.1f %s", tenths, units[unit]);
    }

    /** Counts one request's files and bytes. Not thread-safe: a request's parts are read one after another. */
    public final class Tally {

        private int files;
        private long requestBytes;
        private long fileBytes;
        private String filename;

        private Tally() {
        }

        /** Registers the next file part; fails when it is one too many. */
        public void startFile(String name) {
            files++;
            if (files > maxFiles) {
                throw new SpoolProblem(ProblemCode.TOO_MANY_FILES, "One request may carry at most " + maxFiles
                        + " files; send the others in another request.").withProperty("limitFiles", maxFiles);
            }
            fileBytes = 0;
            filename = name;
        }

        /** Counts {@code bytes} more of the current file; fails on the byte that crosses a limit. */
        public void add(long bytes) {
            fileBytes += bytes;
            requestBytes += bytes;
            if (fileBytes > maxFileBytes) {
                throw new SpoolProblem(ProblemCode.FILE_TOO_LARGE, "The file " + filename + " is larger than the limit of "
                        + describe(maxFileBytes) + " per file; split or compress it and upload it again.")
                        .withProperty("limitBytes", maxFileBytes)
                        .withProperty("filename", filename);
            }
            if (requestBytes > maxRequestBytes) {
                throw requestTooLarge();
            }
        }

        /** Files registered so far. */
        public int files() {
            return files;
        }
    }
}
