package dev.spool.launcher.faults;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A {@code multipart/form-data} body with one {@code file} part, as a browser form would send it. */
public final class MultipartBody {

    private final String boundary = "spool-" + UUID.randomUUID();
    private final byte[] bytes;

    public MultipartBody(SampleUpload upload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(upload.content().length + 256);
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + upload.filename() + "\"\r\nContent-Type: " + upload.contentType() + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(upload.content());
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        bytes = out.toByteArray();
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public byte[] bytes() {
        return bytes;
    }
}
