package dev.spool.processor.extraction;

import dev.spool.schemas.event.ErrorCode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.langdetect.optimaize.OptimaizeLangDetector;
import org.apache.tika.language.detect.LanguageDetector;
import org.apache.tika.language.detect.LanguageResult;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.Office;
import org.apache.tika.metadata.PagedText;
import org.apache.tika.metadata.TIFF;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
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
    private final ExtractionLimits limits;
    private LanguageDetector languages;

    public TikaTextExtractor(ExtractionLimits limits) {
        this.limits = limits;
    }

    @Override
    public ExtractionSummary extract(Path document, String declaredType, Path textOut, Consumer<String> detected)
            throws IOException, TikaException, SAXException, ExtractionRefusedException {
        Metadata metadata = new Metadata();
        if (declaredType != null) {
            metadata.set(Metadata.CONTENT_TYPE, declaredType);
        }
        ParseContext context = new ParseContext();
        // Embedded documents (attachments, images) are parsed recursively into the same handler.
        context.set(Parser.class, parser);
        TextCounter counter;
        try (Writer text = Files.newBufferedWriter(textOut, StandardCharsets.UTF_8);
                TikaInputStream stream = TikaInputStream.get(document)) {
            counter = new TextCounter(text);
            String type = baseType(parser.getDetector().detect(stream, metadata).toString());
            if (isZipBased(type)) {
                ZipBombCheck.check(document, limits);
            }
            detected.accept(type);
            parser.parse(stream, new PageLimit(new BodyContentHandler(new WriteOutContentHandler(counter,
                    limits.maxCharacters())), limits.maxPages()), metadata, context);
        } catch (SAXException | TikaException e) {
            ExtractionRefusedException refused = refusal(e);
            if (refused != null) {
                throw refused;
            }
            throw e;
        }
        String contentType = baseType(metadata.get(Metadata.CONTENT_TYPE));
        if (MediaType.OCTET_STREAM.toString().equals(contentType)) {
            throw new ExtractionRefusedException(ErrorCode.UNSUPPORTED_TYPE, "no parser recognises the document");
        }
        return new ExtractionSummary(contentType, pages(metadata), counter.characters(), counter.words(),
                language(counter.sample()), metadata.get(TikaCoreProperties.TITLE), metadata.get(TikaCoreProperties.CREATOR),
                metadata.getInt(TIFF.IMAGE_WIDTH), metadata.getInt(TIFF.IMAGE_LENGTH), kept(metadata));
    }

    /** The refusal a parse failure stands for when it is a limit reached, else {@code null}. */
    private ExtractionRefusedException refusal(Exception thrown) {
        if (WriteLimitReachedException.isWriteLimitReached(thrown)) {
            return new ExtractionRefusedException(ErrorCode.TOO_LARGE_TO_EXTRACT,
                    "the document has more than " + limits.maxCharacters() + " characters of text");
        }
        ExtractionRefusedException pages = PageLimit.PageLimitReached.find(thrown);
        if (pages != null) {
            return pages;
        }
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
    public synchronized void warmUp() throws IOException {
        if (languages == null) {
            languages = new OptimaizeLangDetector().loadModels();
        }
    }

    private synchronized String language(String sample) throws IOException {
        if (sample.isBlank()) {
            return null;
        }
        warmUp();
        LanguageResult result = languages.detect(sample);
        return result.isReasonablyCertain() && !result.getLanguage().isEmpty() ? result.getLanguage() : null;
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
