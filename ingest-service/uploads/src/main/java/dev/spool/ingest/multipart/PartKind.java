package dev.spool.ingest.multipart;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** How a part's body is handed on, decided by its headers as Spring's own reader decides it. */
enum PartKind {
    /** Has a file name: streamed, buffer by buffer. */
    FILE,
    /** No file name and plain text (or no type): a form field, collected into one value. */
    FIELD,
    /** Neither: streamed like a file. */
    OTHER;

    static PartKind of(HttpHeaders headers) {
        if (headers.getContentDisposition().getFilename() != null) {
            return FILE;
        }
        MediaType type = headers.getContentType();
        return type == null || MediaType.TEXT_PLAIN.equalsTypeAndSubtype(type) ? FIELD : OTHER;
    }
}
