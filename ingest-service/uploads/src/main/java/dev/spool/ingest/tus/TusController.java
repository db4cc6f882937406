package dev.spool.ingest.tus;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.config.StatusProperties;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.upload.UploadPermits;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/tus/}: tus 1.0.0 resumable uploads with the creation, creation-with-upload, creation-defer-length,
 * expiration, termination and checksum extensions. Every request but OPTIONS carries {@code Tus-Resumable}, checked
 * (and echoed) by {@link TusProtocolFilter}. A finished upload's answers name its job in {@code Spool-Job-Id},
 * {@code Spool-Status-Url} and {@code Spool-Events-Url}.
 */
@RestController
@RequestMapping(TusController.BASE)
public class TusController {

    /** The creation endpoint; uploads live below it. */
    public static final String BASE = "/api/v1/tus";

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final TusUploadService uploads;
    private final UploadPermits permits;
    private final StatusProperties status;

    public TusController(TusUploadService uploads, UploadPermits permits, StatusProperties status) {
        this.uploads = uploads;
        this.permits = permits;
        this.status = status;
    }

    @RequestMapping(method = RequestMethod.OPTIONS, path = {"", "/", "/{id}"})
    ResponseEntity<Void> options() {
        return ResponseEntity.noContent()
                .header(TusHeaders.TUS_VERSION, TusHeaders.VERSION)
                .header(TusHeaders.TUS_EXTENSION, TusHeaders.EXTENSIONS)
                .header(TusHeaders.TUS_MAX_SIZE, Long.toString(uploads.maxSize()))
                .header(TusHeaders.TUS_CHECKSUM_ALGORITHM, UploadChecksum.ADVERTISED)
                .build();
    }

    @RequestMapping(method = RequestMethod.POST, path = {"", "/"})
    Mono<ResponseEntity<Void>> create(@AuthenticationPrincipal Caller caller, ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        Long length = optionalLong(headers, TusHeaders.UPLOAD_LENGTH);
        String defer = headers.getFirst(TusHeaders.UPLOAD_DEFER_LENGTH);
        if (defer != null && !"1".equals(defer.trim())) {
            throw new SpoolProblem(ProblemCode.INVALID_UPLOAD_LENGTH, "Upload-Defer-Length may only be 1.");
        }
        UploadMetadata metadata = UploadMetadata.parse(headers.getFirst(TusHeaders.UPLOAD_METADATA));
        boolean withBody = isOffsetStream(headers.getContentType());
        UploadChecksum checksum = withBody ? UploadChecksum.parse(headers.getFirst(TusHeaders.UPLOAD_CHECKSUM)) : null;
        Mono<TusUpload> created = uploads.create(caller, length, defer != null, metadata);
        if (!withBody) {
            return created.map(upload -> created(request, upload, false));
        }
        return created.flatMap(upload -> {
            permits.acquire();
            TusUploadService.Append append = new TusUploadService.Append(0, null, checksum,
                    headers.getContentLength(), request.getBody());
            return uploads.append(caller, upload.id(), append)
                    .map(appended -> created(request, appended, true))
                    .doFinally(signal -> permits.release());
        });
    }

    @RequestMapping(method = RequestMethod.HEAD, path = "/{id}")
    Mono<ResponseEntity<Void>> head(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return uploads.find(caller, id).map(upload -> {
            ResponseEntity.BodyBuilder response = ResponseEntity.ok()
                    .cacheControl(CacheControl.noStore())
                    .header(TusHeaders.UPLOAD_OFFSET, Long.toString(upload.offset()));
            if (upload.length() != null) {
                response.header(TusHeaders.UPLOAD_LENGTH, Long.toString(upload.length()));
            } else {
                response.header(TusHeaders.UPLOAD_DEFER_LENGTH, "1");
            }
            if (!upload.metadata().isEmpty()) {
                response.header(TusHeaders.UPLOAD_METADATA, upload.metadata());
            }
            progressHeaders(response, upload);
            return response.build();
        });
    }

    @RequestMapping(method = RequestMethod.PATCH, path = "/{id}")
    Mono<ResponseEntity<Void>> append(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        if (!isOffsetStream(headers.getContentType())) {
            throw new SpoolProblem(ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                    "Send the bytes of a resumable upload with Content-Type: " + TusHeaders.OFFSET_OCTET_STREAM + ".");
        }
        Long offset = optionalLong(headers, TusHeaders.UPLOAD_OFFSET);
        if (offset == null) {
            throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST,
                    "Send Upload-Offset with the offset the bytes start at; ask for it with HEAD.");
        }
        TusUploadService.Append append = new TusUploadService.Append(offset,
                optionalLong(headers, TusHeaders.UPLOAD_LENGTH),
                UploadChecksum.parse(headers.getFirst(TusHeaders.UPLOAD_CHECKSUM)), headers.getContentLength(),
                request.getBody());
        permits.acquire();
        return uploads.append(caller, id, append)
                .map(upload -> {
                    ResponseEntity.HeadersBuilder<?> response = ResponseEntity.noContent()
                            .header(TusHeaders.UPLOAD_OFFSET, Long.toString(upload.offset()));
                    progressHeaders(response, upload);
                    return response.<Void>build();
                })
                .doFinally(signal -> permits.release());
    }

    @RequestMapping(method = RequestMethod.DELETE, path = "/{id}")
    Mono<ResponseEntity<Void>> terminate(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return uploads.terminate(caller, id).thenReturn(ResponseEntity.noContent().build());
    }

    private ResponseEntity<Void> created(ServerHttpRequest request, TusUpload upload, boolean withBody) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.CREATED)
                .location(location(request, upload.id()));
        if (withBody) {
            response.header(TusHeaders.UPLOAD_OFFSET, Long.toString(upload.offset()));
        }
        progressHeaders(response, upload);
        return response.build();
    }

    /** When an unfinished upload expires; which job a finished one became. */
    private void progressHeaders(ResponseEntity.HeadersBuilder<?> response, TusUpload upload) {
        if (upload.status() == TusUpload.Status.COMPLETED) {
            response.header(TusHeaders.JOB_ID, upload.id())
                    .header(TusHeaders.JOB_STATUS_URL, status.statusUrl(upload.id()))
                    .header(TusHeaders.JOB_EVENTS_URL, status.eventsUrl(upload.id()));
        } else {
            response.header(TusHeaders.UPLOAD_EXPIRES, HTTP_DATE.format(upload.expiresAt()));
        }
    }

    /** The upload's URL: under the public base URL when one is set, else under the address the client used. */
    private URI location(ServerHttpRequest request, String id) {
        String path = BASE + "/" + id;
        if (!status.publicBaseUrl().isEmpty()) {
            String base = status.publicBaseUrl();
            return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
        }
        URI uri = request.getURI();
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
    }

    private static boolean isOffsetStream(MediaType type) {
        return type != null && TusHeaders.OFFSET_OCTET_STREAM.equalsIgnoreCase(type.getType() + "/" + type.getSubtype());
    }

    private static Long optionalLong(HttpHeaders headers, String name) {
        String value = headers.getFirst(name);
        if (value == null) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 0) {
                throw new NumberFormatException(value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST, name + " must be a whole number of bytes, 0 or "
                    + "more; it was '" + value + "'.");
        }
    }
}
