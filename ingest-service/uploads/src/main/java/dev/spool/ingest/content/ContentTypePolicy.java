package dev.spool.ingest.content;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.util.Locale;
import java.util.Set;
import org.apache.tika.Tika;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * Decides from the detected type whether Spool takes a file, and what type it records. The content decides: only
 * types on the allow-list pass, so executables, scripts, archives and unknown binaries are refused whatever their
 * name. A declared {@code Content-Type} or a filename extension may refine the type within its family (a
 * {@code .csv} of plain text is CSV) but never contradict it (a PNG named {@code .pdf} is a mismatch).
 */
public final class ContentTypePolicy {

    private static final MediaTypeRegistry REGISTRY = MimeTypes.getDefaultMimeTypes().getMediaTypeRegistry();
    private static final Tika BY_NAME = new Tika();
    private static final MediaType OCTET_STREAM = MediaType.OCTET_STREAM;
    private static final MediaType OOXML = MediaType.parse(ContentTypeDetector.OOXML);
    private static final String ODF_PREFIX = "application/vnd.oasis.opendocument.";
    private static final Set<MediaType> DOCUMENTS = Set.of(MediaType.application("pdf"));
    private static final Set<MediaType> IMAGES = Set.of(MediaType.image("png"), MediaType.image("jpeg"),
            MediaType.image("gif"), MediaType.image("webp"), MediaType.image("tiff"), MediaType.image("bmp"),
            MediaType.image("heic"), MediaType.image("heif"));
    /** Detected text types: content sniffing tells plain text and HTML apart, nothing finer. */
    private static final Set<MediaType> TEXTS = Set.of(MediaType.TEXT_PLAIN, MediaType.TEXT_HTML);
    /** Text types a declaration or extension may name to refine detected text. */
    private static final Set<MediaType> TEXT_REFINEMENTS = Set.of(MediaType.TEXT_PLAIN, MediaType.TEXT_HTML,
            MediaType.text("csv"), MediaType.application("json"), MediaType.text("markdown"),
            MediaType.text("x-web-markdown"));

    private ContentTypePolicy() {
    }

    /**
     * Judges a file.
     *
     * @param detected the type detected from the first bytes
     * @param declared the part's {@code Content-Type}, or {@code null}
     * @param filename the normalised filename
     * @return the type to record
     * @throws SpoolProblem {@code unsupported_type} or {@code type_mismatch}
     */
    public static String judge(String detected, String declared, String filename) {
        MediaType content = parse(detected);
        if (content == null || !isAllowed(content)) {
            throw new SpoolProblem(ProblemCode.UNSUPPORTED_TYPE, "The content is " + describe(detected)
                    + ", which Spool does not accept. " + ProblemCode.UNSUPPORTED_TYPE.defaultDetail())
                    .withProperty("detectedType", detected);
        }
        MediaType recorded = content;
        for (Claim claim : new Claim[] {new Claim("declared Content-Type", parse(declared)),
                new Claim("extension of " + filename, byName(filename))}) {
            if (claim.type() == null || OCTET_STREAM.equals(claim.type())) {
                continue;
            }
            if (!compatible(claim.type(), content)) {
                throw new SpoolProblem(ProblemCode.TYPE_MISMATCH, "The content is " + content + " but the "
                        + claim.source() + " says " + claim.type() + "; rename the file or send it with its real type.")
                        .withProperty("detectedType", content.toString())
                        .withProperty("claimedType", claim.type().toString());
            }
            if (refines(claim.type(), recorded)) {
                recorded = claim.type();
            }
        }
        return recorded.toString();
    }

    private static boolean isAllowed(MediaType type) {
        return DOCUMENTS.contains(type) || IMAGES.contains(type) || TEXTS.contains(type)
                || REGISTRY.isInstanceOf(type, OOXML) || type.toString().startsWith(ODF_PREFIX);
    }

    private static boolean compatible(MediaType claimed, MediaType content) {
        return REGISTRY.isInstanceOf(claimed, content) || REGISTRY.isInstanceOf(content, claimed);
    }

    /** A claim replaces the recorded type only with a more specific type that is itself on the allow-list. */
    private static boolean refines(MediaType claimed, MediaType recorded) {
        if (claimed.equals(recorded) || !REGISTRY.isSpecializationOf(claimed, recorded)) {
            return false;
        }
        return TEXTS.contains(recorded) ? TEXT_REFINEMENTS.contains(claimed) : isAllowed(claimed);
    }

    private static MediaType byName(String filename) {
        return filename == null || filename.indexOf('.') < 0 ? null : MediaType.parse(BY_NAME.detect(filename));
    }

    /** The bare type of a header value such as {@code text/plain; charset=UTF-8}; {@code null} when unreadable. */
    private static MediaType parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        MediaType type = MediaType.parse(value.trim().toLowerCase(Locale.ROOT));
        return type == null ? null : REGISTRY.normalize(type.getBaseType());
    }

    private static String describe(String detected) {
        return OCTET_STREAM.toString().equals(detected) ? "unrecognised binary data" : detected;
    }

    private record Claim(String source, MediaType type) {
    }
}
