package dev.spool.ingest.tus;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code Upload-Metadata} of a tus upload: comma-separated pairs of a key and a Base64 value (a key may stand
 * alone). tus-js-client and Uppy name the file {@code filename} or {@code name} and its type {@code filetype} or
 * {@code type}; Spool also reads {@code priority}.
 *
 * @param raw the header as received, returned unchanged by HEAD
 * @param values the decoded values, in the order sent
 */
public record UploadMetadata(String raw, Map<String, String> values) {

    /** Longest header accepted; metadata describes a file, it does not carry one. */
    static final int MAX_LENGTH = 4096;

    public UploadMetadata {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** No metadata. */
    public static final UploadMetadata NONE = new UploadMetadata("", Map.of());

    /** Parses the header; {@code null} or blank is no metadata. */
    public static UploadMetadata parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        if (header.length() > MAX_LENGTH) {
            throw invalid("Upload-Metadata may be at most " + MAX_LENGTH + " characters long.");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : header.split(",", -1)) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) {
                throw invalid("Upload-Metadata has an empty pair; separate pairs with single commas.");
            }
            String[] parts = trimmed.split(" ", -1);
            if (parts.length > 2 || parts[0].isEmpty()) {
                throw invalid("Each Upload-Metadata pair is a key, a space and a Base64 value.");
            }
            String key = parts[0];
            if (values.containsKey(key)) {
                throw invalid("The Upload-Metadata key " + key + " appears twice; send each key once.");
            }
            values.put(key, parts.length == 2 ? decode(key, parts[1]) : "");
        }
        return new UploadMetadata(header.trim(), values);
    }

    /** The file's name as the client sent it, or {@code null}. */
    public String filename() {
        return first("filename", "name");
    }

    /** The file's declared media type, or {@code null}. */
    public String filetype() {
        return first("filetype", "type");
    }

    /** The tier asked for, or {@code null}. */
    public String priority() {
        String value = values.get("priority");
        return value == null || value.isBlank() ? null : value;
    }

    private String first(String... keys) {
        for (String key : keys) {
            String value = values.get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String decode(String key, String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw invalid("The Upload-Metadata value of " + key + " is not Base64-encoded UTF-8.");
        }
    }

    private static SpoolProblem invalid(String detail) {
        return new SpoolProblem(ProblemCode.INVALID_UPLOAD_METADATA, detail + " "
                + ProblemCode.INVALID_UPLOAD_METADATA.defaultDetail());
    }
}
