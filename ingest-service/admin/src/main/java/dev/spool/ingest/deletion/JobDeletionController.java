package dev.spool.ingest.deletion;

import dev.spool.ingest.auth.Caller;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code DELETE /api/v1/jobs/{id}}: {@code 202 Accepted} once the job's files are removed and its deletion is
 * committed to Kafka. Accepted, not done: the job's views in MongoDB and Redis go when the projection folds the
 * deletion, a moment later, so a read right after the answer may still find the job.
 */
@RestController
public class JobDeletionController {

    private final JobDeletions deletions;

    public JobDeletionController(JobDeletions deletions) {
        this.deletions = deletions;
    }

    @DeleteMapping("/api/v1/jobs/{id}")
    Mono<ResponseEntity<Void>> delete(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return deletions.delete(caller, id).then(Mono.fromSupplier(() -> ResponseEntity.accepted().<Void>build()));
    }
}
