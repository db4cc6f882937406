package dev.spool.ingest.storage;

import dev.spool.ingest.problem.SpoolProblem;
import java.util.List;

/**
 * The rules a file is held to while it streams in, supplied by the caller of {@link UploadStore}. Both methods
 * refuse by throwing a {@link SpoolProblem}: a refused byte count fails the whole store, a refused type only the
 * file, which is then read to its end without being stored.
 */
public interface FileChecks {

    /** Called as bytes arrive, with the count just received; throws when a size limit is exceeded. */
    void received(long bytes);

    /** Called once with the type detected from the first bytes; returns the type to record or throws. */
    String judge(String detectedType);

    /** The digests the client sent for this file, checked before it is kept; none by default. */
    default List<ExpectedDigest> expectedDigests() {
        return List.of();
    }
}
