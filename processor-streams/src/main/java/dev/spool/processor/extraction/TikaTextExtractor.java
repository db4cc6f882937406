package dev.spool.processor.extraction;

import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.Truncation;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.Office;
import org.apache.tika.metadata.PagedText;
import org.apache.tika.metadata.TIFF;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.CompositeParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.WriteOutContentHandler;
import org.xml.sax.SAXException;

/**
 * Extracts text and metadata with Tika's auto-detecting parser, in this process, within the limits on characters,
 * pages and zip expansion. Time and memory are bounded by running it inside a worker process
 * ({@code sandbox.ForkedTextExtractor}); on its own it is for tests and for that worker.
 */
public final class TikaTextExtractor implements TextExtractor {

    /** Metadata worth showing with a result; anything else Tika finds stays out of the event. */
    private static final List<String> KEPT_METADATA = List.of("tiff:Make", "tiff:Model", "tiff:Software",
            "exif:DateTimeOriginal", "dcterms:created", "dcterms:modified", "pdf:PDFVersion", "pdf:producer",
            "xmp:CreatorTool", "dc:language", "geo:lat", "geo:long");
    private static final int MAX_METADATA_VALUE = 200;

    private final AutoDetectParser parser = new AutoDetectParser();
    /** Looked up once per type: a composite parser computes its map of parsers anew on every call. */
    private final Map<MediaType, Parser> leaves = new ConcurrentHashMap<>();
    private final MediaTypeRegistry registry = parser.getMediaTypeRegistry();
    private final ExtractionLimits limits;

    public TikaTextExtractor(ExtractionLimits limits) {
        this.limits = limits;
    }

    @Override
    public ExtractionSummary extract(Path document, String declaredType, Path textOut, Consumer<String> detected)
            throws IOException, TikaException, SAXException, ExtractionRefusedException {
        Metadata metadata = metadata(declaredType);
        try (TikaInputStream stream = TikaInputStream.get(document)) {
            String type = baseType(parser.getDetector().detect(stream, metadata).toString());
            if (isZipBased(type)) {
                ZipBombCheck.check(document, limits);
            }
            detected.accept(type);
            try (Writer text = Files.newBufferedWriter(textOut, StandardCharsets.UTF_8)) {
                return parse(parser, stream, metadata, text);
            }
        }
    }

    /** Whether documents of {@code type} are parsed by Tika's plain-text parser, which cannot expand what it reads. */
    public boolean parsesAsPlainText(MediaType type) {
        Parser text = parserFor(MediaType.TEXT_PLAIN);
        return text != null && parserFor(type) == text;
    }

    /**
     * Extracts a document held in memory whose type is already known to be one that {@link #parsesAsPlainText},
     * without detecting it again: detection reads the document against every magic pattern Tika knows, the dearest
     * step of a small text.
     */
    public ExtractionSummary extractPlainText(byte[] document, MediaType type, Writer textOut)
            throws IOException, TikaException, SAXException, ExtractionRefusedException {
        if (!parsesAsPlainText(type)) {
            throw new IllegalArgumentException(type + " is not parsed as plain text");
        }
        try (TikaInputStream stream = TikaInputStream.get(document)) {
            return parse(parserFor(type), stream, metadata(type.toString()), textOut);
        }
    }

    private ExtractionSummary parse(Parser chosen, TikaInputStream stream, Metadata metadata, Writer text)
            throws IOException, TikaException, SAXException, ExtractionRefusedException {
        ParseContext context = new ParseContext();
        // Embedded documents (attachments, images) are parsed recursively into the same handler.
        context.set(Parser.class, parser);
        TextCounter counter = new TextCounter(text);
        Truncation truncated = null;
        try {
            chosen.parse(stream, new PageLimit(new BodyContentHandler(new WriteOutContentHandler(counter,
                    limits.maxCharacters())), limits.maxPages()), metadata, context);
        } catch (SAXException | TikaException e) {
            truncated = truncation(e);
            if (truncated == null) {
                ExtractionRefusedException refused = refusal(e);
                if (refused != null) {
                    throw refused;
                }
                throw e;
            }
        }
        String contentType = baseType(metadata.get(Metadata.CONTENT_TYPE));
        if (MediaType.OCTET_STREAM.toString().equals(contentType)) {
            throw new ExtractionRefusedException(ErrorCode.UNSUPPORTED_TYPE, "no parser recognises the document");
        }
        return new ExtractionSummary(contentType, pages(metadata), counter.characters(), counter.words(),
                LanguageGuess.of(counter.sample()), metadata.get(TikaCoreProperties.TITLE), metadata.get(TikaCoreProperties.CREATOR),
                metadata.getInt(TIFF.IMAGE_WIDTH), metadata.getInt(TIFF.IMAGE_LENGTH), kept(metadata), truncated);
    }

    /**
     * Where the parse stopped when it stopped at the character or page limit, else {@code null}: the text written
     * so far is the job's text, as Tika's write limit intends.
     */
    private Truncation truncation(Exception thrown) {
        if (WriteLimitReachedException.isWriteLimitReached(thrown)) {
            return Truncation.atCharacters(limits.maxCharacters());
        }
        if (PageLimit.PageLimitReached.isIn(thrown)) {
            return Truncation.atPages(limits.maxPages());
        }
        return null;
    }

    private static Metadata metadata(String declaredType) {
        Metadata metadata = new Metadata();
        if (declaredType != null) {
            metadata.set(Metadata.CONTENT_TYPE, declaredType);
        }
        return metadata;
    }

    /**
     * The parser that ends up with documents of {@code type}: the auto-detecting parser hands them to its default
     * parser, which hands them to the one for the type or its nearest supertype.
     */
    private Parser parserFor(MediaType type) {
        return leaves.computeIfAbsent(type, this::leafFor);
    }

    private Parser leafFor(MediaType type) {
        Parser current = parser;
        while (current instanceof CompositeParser composite) {
            Parser next = null;
            Map<MediaType, Parser> children = composite.getParsers();
            for (MediaType candidate = type; candidate != null && next == null; candidate = registry.getSupertype(candidate)) {
                next = children.get(candidate);
            }
            if (next == null || next == current) {
                return current;
            }
            current = next;
        }
        return current;
    }

    /** The refusal a parse failure stands for when it is an expansion beyond the limits, else {@code null}. */
    private static ExtractionRefusedException refusal(Exception thrown) {
        String message = String.valueOf(thrown.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("zip bomb")) {
            return new ExtractionRefusedException(ErrorCode.TOO_LARGE_TO_EXTRACT, "the document expands too much: "
                    + thrown.getMessage());
        }
        return null;
    }

    private static boolean isZipBased(String type) {
        return type.equals("application/zip") || type.startsWith("application/vnd.openxmlformats-officedocument.")
                || type.startsWith("application/vnd.oasis.opendocument.") || type.equals("application/epub+zip")
                || type.startsWith("application/vnd.ms-") && type.contains("macroenabled");
    }

    /** Loads the language models now rather than during the first document. */
    public void warmUp() {
        LanguageGuess.warmUp();
    }

    private static Map<String, String> kept(Metadata metadata) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : KEPT_METADATA) {
            String value = metadata.get(name);
            if (value != null && !value.isBlank()) {
                kept.put(name, value.length() <= MAX_METADATA_VALUE ? value : value.substring(0, MAX_METADATA_VALUE));
            }
        }
        return kept;
    }

    private static String baseType(String contentType) {
        MediaType type = contentType == null ? null : MediaType.parse(contentType);
        return type == null ? MediaType.OCTET_STREAM.toString() : type.getBaseType().toString();
    }

    private static Integer pages(Metadata metadata) {
        Integer pages = metadata.getInt(PagedText.N_PAGES);
        return pages != null ? pages : metadata.getInt(Office.PAGE_COUNT);
    }
}
