package dev.spool.processor.extraction;

import dev.spool.schemas.event.ErrorCode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.Office;
import org.apache.tika.metadata.PagedText;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.WriteOutContentHandler;
import org.xml.sax.SAXException;

/** Extracts text and metadata with Tika's auto-detecting parser, refusing documents with more text than allowed. */
public final class TikaTextExtractor implements TextExtractor {

    private final AutoDetectParser parser = new AutoDetectParser();
    private final int maxCharacters;

    public TikaTextExtractor(int maxCharacters) {
        if (maxCharacters < 1) {
            throw new IllegalArgumentException("maxCharacters must be positive: " + maxCharacters);
        }
        this.maxCharacters = maxCharacters;
    }

    @Override
    public ExtractionSummary extract(Path document, Path textOut, Consumer<String> detected)
            throws IOException, TikaException, SAXException, ExtractionRefusedException {
        Metadata metadata = new Metadata();
        ParseContext context = new ParseContext();
        // Embedded documents (attachments, images) are parsed recursively into the same handler.
        context.set(Parser.class, parser);
        TextCounter counter;
        try (Writer text = Files.newBufferedWriter(textOut, StandardCharsets.UTF_8);
                TikaInputStream stream = TikaInputStream.get(document)) {
            counter = new TextCounter(text);
            detected.accept(baseType(parser.getDetector().detect(stream, metadata).toString()));
            parser.parse(stream, new BodyContentHandler(new WriteOutContentHandler(counter, maxCharacters)), metadata,
                    context);
        } catch (SAXException | TikaException e) {
            if (WriteLimitReachedException.isWriteLimitReached(e)) {
                throw new ExtractionRefusedException(ErrorCode.TOO_LARGE_TO_EXTRACT,
                        "document has more than " + maxCharacters + " characters of text");
            }
            throw e;
        }
        String contentType = baseType(metadata.get(Metadata.CONTENT_TYPE));
        if (MediaType.OCTET_STREAM.toString().equals(contentType)) {
            throw new ExtractionRefusedException(ErrorCode.UNSUPPORTED_TYPE, "no parser recognises the document");
        }
        return new ExtractionSummary(contentType, pages(metadata), counter.characters(), counter.words(), null,
                metadata.get(TikaCoreProperties.TITLE), metadata.get(TikaCoreProperties.CREATOR), null, null, Map.of());
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
