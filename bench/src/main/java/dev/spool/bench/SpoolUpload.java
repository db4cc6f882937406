package dev.spool.bench;

import java.io.IOException;
import java.nio.file.Path;

/** One way of handing a file to Spool's ingest service, as a client would. */
interface SpoolUpload {

    /** Uploads {@code file} and returns the S3 key ingest stored it under. */
    String upload(Path file) throws IOException, InterruptedException;
}
