package dev.spool.processor.extraction;

import dev.spool.schemas.event.Truncation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.tika.mime.MediaType;

/**
 * Extracts small plain-text documents in memory, in this process, and says which documents those are. Plain text
 * cannot expand and its size bounds both the time and the memory its parse takes, so it needs no worker process;
 * skipping the round trip to one, and the files a job otherwise goes through, is most of the cost of a small text
 * job. The type is the one ingest detected from the content (a client's claim never reaches a work record), so it is
 * not detected again: matching every magic pattern Tika knows was the dearest step of a small text. Whatever Tika
 * parses with its plain-text parser (CSV, Markdown, JSON as well) stays here; a document ingest found to be anything
 * else goes to a worker.
 *
 * <p>Text that is UTF-8 (ASCII included), as nearly all of it is, is read as it is: its bytes are its text, counted
 * once and stored unchanged. Tika's plain-text parser, which sniffs the charset and, for plain text, whether it is
 * CSV in disguise, reading a character at a time, was a third of such a job's CPU; it still reads every other
 * charset, and CSV, whose rows it turns into lines of cells.
 */
public final class PlainTextInProcess {

    /** Types read as they are when they are UTF-8: ingest records text as one of these. */
    private static final Set<MediaType> AS_IS = Set.of(MediaType.TEXT_PLAIN, MediaType.text("markdown"),
            MediaType.text("x-web-markdown"), MediaType.application("json"));
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Supplier<TikaTextExtractor> tika;
    private final ExtractionLimits limits;
    private final long maxBytes;

    /**
     * @param tika Tika's extractor, asked for at the first document that needs it (building one loads all of Tika's
     *     parsers)
     * @param maxBytes largest document extracted here; {@code 0} leaves every document to the workers
     */
    public PlainTextInProcess(Supplier<TikaTextExtractor> tika, ExtractionLimits limits, long maxBytes) {
        this.tika = Objects.requireNonNull(tika, "tika");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.maxBytes = maxBytes;
    }

    /** Whether a document of {@code size} bytes that ingest found to be {@code contentType} is extracted here. */
    public boolean accepts(String contentType, long size) {
        if (maxBytes <= 0 || size > maxBytes || contentType == null) {
            return false;
        }
        MediaType type = MediaType.parse(contentType);
        return type != null && (AS_IS.contains(type.getBaseType()) || tika.get().parsesAsPlainText(type.getBaseType()));
    }

    /** The largest document {@link #accepts} takes. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Extracts a document that {@link #accepts}.
     *
     * @throws Exception what Tika's plain-text parser throws for text that is not UTF-8
     */
    public ExtractedText extract(byte[] document, String contentType) throws Exception {
        MediaType type = MediaType.parse(contentType).getBaseType();
        if (AS_IS.contains(type)) {
            byte[] utf8 = withoutBom(document);
            String text = utf8OrNull(utf8);
            if (text != null) {
                return asIs(text, utf8, type);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(document.length + 64);
        ExtractionSummary summary;
        try (Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            summary = tika.get().extractPlainText(document, type, text);
        }
        return new ExtractedText(out.toByteArray(), summary);
    }

    /** UTF-8 text as it is; beyond the character limit, its first {@code maxCharacters} characters. */
    private ExtractedText asIs(String text, byte[] utf8, MediaType type) throws IOException {
        Truncation truncated = null;
        if (text.length() > limits.maxCharacters()) {
            truncated = Truncation.atCharacters(limits.maxCharacters());
            text = limits.cut(text);
            utf8 = text.getBytes(StandardCharsets.UTF_8);
        }
        TextCounter counter = new TextCounter(Writer.nullWriter());
        counter.write(text);
        ExtractionSummary summary = new ExtractionSummary(type.toString(), null, counter.characters(), counter.words(),
                LanguageGuess.of(text), null, null, null, null, null, truncated);
        return new ExtractedText(utf8, summary);
    }

    private static byte[] withoutBom(byte[] document) {
        boolean bom = document.length >= UTF8_BOM.length
                && Arrays.equals(document, 0, UTF8_BOM.length, UTF8_BOM, 0, UTF8_BOM.length);
        return bom ? Arrays.copyOfRange(document, UTF8_BOM.length, document.length) : document;
    }

    /** The text of {@code bytes} when they are well-formed UTF-8, else {@code null}. */
    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }
}
