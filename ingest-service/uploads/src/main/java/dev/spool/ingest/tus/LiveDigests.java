package dev.spool.ingest.tus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The running SHA-256 of each resumable upload between its requests, on the instance that served the last one. The
 * JDK's digest runs several times faster than one whose state can be saved with the upload (Bouncy Castle's, which
 * this replaced), but cannot leave the process. So an upload's next request takes its digest back only when the
 * digest covers exactly the upload's stored parts; when it does not (the last request went to another instance, this
 * one restarted, a part was hashed but not stored, too many uploads were paused here since), the digest is lost and
 * the assembled object is read back and hashed once, before the job is published.
 */
@Component
public class LiveDigests {

    /**
     * Paused uploads whose digest is kept; beyond it the one paused longest ago loses its digest (an abandoned upload
     * most likely) and would be hashed again at its end.
     */
    static final int MAX_KEPT = 10_000;

    private final Map<String, RunningSha256> kept = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, RunningSha256> eldest) {
                    return size() > MAX_KEPT;
                }
            });

    /**
     * The digest for the upload's next request: a new one for an upload without parts, the kept one when it covers
     * exactly {@code partBytes}, else {@code null} (lost).
     */
    RunningSha256 resume(String uploadId, long partBytes) {
        RunningSha256 digest = kept.remove(uploadId);
        if (partBytes == 0) {
            return RunningSha256.start();
        }
        return digest != null && digest.hashed() == partBytes ? digest : null;
    }

    /** Keeps the upload's digest for its next request, which may come here. */
    void keep(String uploadId, RunningSha256 digest) {
        kept.put(uploadId, digest);
    }

    /** The upload ended (assembled, terminated or expired): its digest is no longer needed. */
    void forget(String uploadId) {
        kept.remove(uploadId);
    }
}
