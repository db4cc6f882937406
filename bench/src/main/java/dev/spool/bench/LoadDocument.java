package dev.spool.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/**
 * The documents of the load benches, each different, so no two jobs extract the same text: document {@code n} of a
 * kind is the same 10 KB of English-like text {@code n} as plain text, as a PDF of two to three pages, or as a Word
 * document of the same paragraphs. The same number and kind give the same bytes, so that a job's document can be
 * made again from its filename, {@code load-<n>.<extension>}.
 */
enum LoadDocument {

    TEXT("txt", "text/plain"),
    PDF("pdf", "application/pdf"),
    DOCX("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

    /** Characters of text in every document. */
    static final int TEXT_CHARACTERS = 10_000;

    private static final String[] WORDS = ("the river report committee harbour ledger lighthouse orchard survey "
            + "spring mill otter keeper weather north coast clean early bloom record").split(" ");
    private static final int LINE_CHARACTERS = 90;
    private static final int LINES_PER_PAGE = 50;
    private static final float LEADING = 13;

    private final String extension;
    private final String contentType;
    /** PDFs and Word documents take milliseconds to write; each is written once and kept for the bench's run. */
    private final Map<Integer, byte[]> written = new ConcurrentHashMap<>();

    LoadDocument(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    /** {@code text}, {@code pdf} or {@code docx}. */
    static LoadDocument named(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /** The kind and number of a document from its {@link #filename}. */
    static byte[] ofFilename(String filename) {
        int dot = filename.lastIndexOf('.');
        int number = Integer.parseInt(filename.substring("load-".length(), dot));
        String extension = filename.substring(dot + 1);
        for (LoadDocument kind : values()) {
            if (kind.extension.equals(extension)) {
                return kind.bytes(number);
            }
        }
        throw new IllegalArgumentException("not a load document: " + filename);
    }

    String filename(int number) {
        return "load-" + number + "." + extension;
    }

    String contentType() {
        return contentType;
    }

    /** Document number {@code number} of this kind. */
    byte[] bytes(int number) {
        if (this == TEXT) {
            return text(number).getBytes(StandardCharsets.US_ASCII);
        }
        return written.computeIfAbsent(number, n -> this == PDF ? pdf(text(n)) : docx(text(n)));
    }

    private static String text(int number) {
        StringBuilder text = new StringBuilder(TEXT_CHARACTERS + 32).append("Load document ").append(number).append(". ");
        int word = number;
        while (text.length() < TEXT_CHARACTERS) {
            text.append(WORDS[Math.floorMod(word * 7 + text.length(), WORDS.length)]).append(text.length() % 13 == 0 ? ".\n" : " ");
            word++;
        }
        text.setLength(TEXT_CHARACTERS);
        return text.toString();
    }

    /** The text in lines of about 90 characters, 50 lines to a page: three pages. */
    private static byte[] pdf(String text) {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            String[] lines = text.replace('\n', ' ').split("(?<=\\G.{" + LINE_CHARACTERS + "})");
            for (int first = 0; first < lines.length; first += LINES_PER_PAGE) {
                PDPage page = new PDPage();
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(font, 10);
                    content.setLeading(LEADING);
                    content.newLineAtOffset(56, 740);
                    for (int line = first; line < Math.min(lines.length, first + LINES_PER_PAGE); line++) {
                        content.showText(lines[line]);
                        content.newLine();
                    }
                    content.endText();
                }
            }
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text's sentences as paragraphs. */
    private static byte[] docx(String text) {
        try (XWPFDocument document = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String paragraph : text.split("\n")) {
                document.createParagraph().createRun().setText(paragraph);
            }
            document.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
