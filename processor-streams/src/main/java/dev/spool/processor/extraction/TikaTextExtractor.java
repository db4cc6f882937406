package dev.spool.processor.extraction;

import com.drew.imaging.ImageProcessingException;
import dev.spool.processor.extraction.image.ImageFindings;
import dev.spool.processor.extraction.image.ImageMetadataParser;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.SAXException;

/**
 * Extracts text and metadata with Tika's auto-detecting parser, in this process, within the limits on characters,
 * pages and zip expansion. Time and memory are bounded by running it inside a worker process
 * ({@code sandbox.ForkedTextExtractor}); on its own it is for tests and for that worker.
 */
public final class TikaTextExtractor implements TextExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(TikaTextExtractor.class);
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
            ImageFindings image = type.startsWith("image/") ? imageFindings(document) : null;
            try (Writer text = Files.newBufferedWriter(textOut, StandardCharsets.UTF_8)) {
                return parse(parser, stream, metadata, text, image);
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
            return parse(parserFor(type), stream, metadata(type.toString()), textOut, null);
        }
    }

    /**
     * Parses the document into {@code text}, after an image's searchable metadata ({@code image}, {@code null} for
     * other documents): its captions lead the text, within the same character limit.
     */
    private ExtractionSummary parse(Parser chosen, TikaInputStream stream, Metadata metadata, Writer text,
            ImageFindings image) throws IOException, TikaException, SAXException, ExtractionRefusedException {
        ParseContext context = new ParseContext();
        // Embedded documents (attachments, images) are parsed recursively into the same handler.
        context.set(Parser.class, parser);
        TextCounter counter = new TextCounter(text);
        Truncation truncated = null;
        String lead = image == null ? "" : image.searchableText();
        String keptLead = limits.cut(lead);
        counter.write(keptLead);
        if (keptLead.length() < lead.length()) {
            truncated = Truncation.atCharacters(limits.maxCharacters());
        }
        try {
            chosen.parse(stream, new PageLimit(new BodyContentHandler(new WriteOutContentHandler(counter,
                    limits.maxCharacters() - keptLead.length())), limits.maxPages()), metadata, context);
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
                metadata.getInt(TIFF.IMAGE_WIDTH), metadata.getInt(TIFF.IMAGE_LENGTH), kept(metadata), truncated,
                image == null ? null : image.metadata());
    }

    /**
     * What the image's EXIF, XMP and IPTC metadata say, read from its metadata segments alone; {@code null} when they
     * cannot be read, which leaves the image to Tika's parse: its metadata is a bonus, never a reason to fail the job.
     */
    private static ImageFindings imageFindings(Path document) {
        try {
            return ImageMetadataParser.parse(document);
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            LOG.warn("Could not read the image's metadata: {}", e.toString());
            return null;
        }
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
