package dev.spool.ingest.download;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.jobs.JobQueries;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.s3.ObjectStore;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.view.JobView;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * Hands a job's owner (or an administrator) a short-lived presigned S3 URL of the job's original file or extracted
 * text, which any HTTP client then fetches from S3 directly, without Spool's token and without passing through
 * ingest. Anyone else is told the job does not exist. S3 is asked first whether the object is there, so that a
 * missing one is a problem answer here, not an S3 error page in the browser.
 */
@Service
public class DownloadLinks {

    /** How a text is served: UTF-8, whatever its document was. */
    private static final String TEXT_TYPE = "text/plain; charset=utf-8";

    private final JobQueries queries;
    private final ObjectStore objects;
    private final S3Presigner presigner;
    private final String uploadBucket;
    private final Duration expiry;

    public DownloadLinks(JobQueries queries, ObjectStore objects, S3Presigner presigner, StorageProperties storage,
            DownloadProperties downloads) {
        this.queries = queries;
        this.objects = objects;
        this.presigner = presigner;
        this.uploadBucket = storage.uploadBucket();
        this.expiry = downloads.expiry();
    }

    /** The job's uploaded file, saved under its upload's name and served with its content type. */
    public Mono<DownloadLink> original(Caller caller, String jobId) {
        return ownJob(caller, jobId).flatMap(view -> link(uploadBucket, StorageProperties.uploadKey(view.jobId()),
                ProblemCode.ORIGINAL_NOT_FOUND, response -> response
                        .responseContentType(view.contentType() == null
                                ? MediaType.APPLICATION_OCTET_STREAM_VALUE : view.contentType())
                        .responseContentDisposition(DownloadNames.attachment(
                                DownloadNames.original(view.filename(), view.jobId())))));
    }

    /**
     * The job's extracted text as a UTF-8 {@code .txt} file. A text stored gzip-compressed is served with
     * {@code Content-Encoding: gzip}, which browsers and most clients undo, so what is saved is readable text.
     */
    public Mono<DownloadLink> text(Caller caller, String jobId) {
        return ownJob(caller, jobId).flatMap(view -> JobQueries.textOf(view).flatMap(result -> link(
                result.textBucket(), result.textKey(), ProblemCode.TEXT_NOT_FOUND, response -> response
                        .responseContentType(TEXT_TYPE)
                        .responseContentEncoding(gzipped(result) ? "gzip" : null)
                        .responseContentDisposition(DownloadNames.attachment(
                                DownloadNames.text(view.filename(), view.jobId()))))));
    }

    /** The caller's job; another user's job answers as one that does not exist, so downloads reveal nothing. */
    private Mono<JobView> ownJob(Caller caller, String jobId) {
        return queries.find(caller, jobId).onErrorMap(
                e -> e instanceof SpoolProblem problem && problem.code() == ProblemCode.NOT_OWNER,
                e -> new SpoolProblem(ProblemCode.JOB_NOT_FOUND));
    }

    private Mono<DownloadLink> link(String bucket, String key, ProblemCode missing,
            Consumer<GetObjectRequest.Builder> response) {
        return objects.exists(bucket, key)
                .filter(Boolean::booleanValue)
                .switchIfEmpty(Mono.error(() -> new SpoolProblem(missing)))
                // Signing is local work, but a default credentials chain may fetch credentials the first time.
                .flatMap(found -> Mono.fromCallable(() -> presign(bucket, key, response))
                        .subscribeOn(Schedulers.boundedElastic()));
    }

    private DownloadLink presign(String bucket, String key, Consumer<GetObjectRequest.Builder> response) {
        PresignedGetObjectRequest presigned = presigner.presignGetObject(request -> request
                .signatureDuration(expiry)
                .getObjectRequest(get -> response.accept(get.bucket(bucket).key(key))));
        return new DownloadLink(URI.create(presigned.url().toString()), presigned.expiration());
    }

    private static boolean gzipped(ExtractionResult result) {
        return "gzip".equalsIgnoreCase(result.textEncoding());
    }
}
