package dev.spool.processor.extraction;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Documents built to hurt a parser, and a few honest ones in awkward encodings; written to files, streaming. */
public final class HostileDocuments {

    public static final String PASSWD_MARK = "root:x:0:0";

    private static final String CONTENT_TYPES = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
            <Default Extension="xml" ContentType="application/xml"/>
            <Override PartName="/word/document.xml"
             ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
            </Types>""";
    private static final String RELS = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1"
             Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
             Target="word/document.xml"/>
            </Relationships>""";
    private static final String BODY_START = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
            + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
    private static final String BODY_END = "</w:body></w:document>";

    private HostileDocuments() {
    }

    /** A small DOCX whose {@code word/document.xml} inflates to about {@code expandedBytes} of repeated paragraphs. */
    public static Path zipBombDocx(Path file, long expandedBytes) throws IOException {
        String paragraph = "<w:p><w:r><w:t>" + "bomb ".repeat(200) + "</w:t></w:r></w:p>";
        byte[] chunk = paragraph.repeat(100).getBytes(StandardCharsets.UTF_8);
        return docx(file, out -> {
            for (long written = 0; written < expandedBytes; written += chunk.length) {
                out.write(chunk);
            }
        });
    }

    /** A DOCX of {@code paragraphs} paragraphs of random words: big once parsed, ordinary when compressed. */
    public static Path largeDocx(Path file, int paragraphs) throws IOException {
        Random random = new Random(42);
        return docx(file, out -> {
            StringBuilder paragraph = new StringBuilder();
            for (int p = 0; p < paragraphs; p++) {
                paragraph.setLength(0);
                paragraph.append("<w:p><w:r><w:t>");
                for (int w = 0; w < 40; w++) {
                    for (int c = 3 + random.nextInt(6); c > 0; c--) {
                        paragraph.append((char) ('a' + random.nextInt(26)));
                    }
                    paragraph.append(' ');
                }
                paragraph.append("</w:t></w:r></w:p>");
                out.write(paragraph.toString().getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    private static Path docx(Path file, BodyWriter body) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            entry(zip, "[Content_Types].xml", CONTENT_TYPES);
            entry(zip, "_rels/.rels", RELS);
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            zip.write(BODY_START.getBytes(StandardCharsets.UTF_8));
            body.write(zip);
            zip.write(BODY_END.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    /** Nine levels of entities, each ten of the one below: a billion "lol"s from under a kilobyte. */
    public static Path billionLaughs(Path file) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for (int level = 1; level <= 9; level++) {
            xml.append("<!ENTITY lol").append(level).append(" \"");
            xml.append(("&lol" + (level == 1 ? "" : Integer.toString(level - 1)) + ";").repeat(10));
            xml.append("\">\n");
        }
        xml.append("]>\n<lolz>&lol9;</lolz>\n");
        return Files.writeString(file, xml.toString());
    }

    /** An XML document whose entity names a local file. */
    public static Path externalEntity(Path file) throws IOException {
        return Files.writeString(file, "<?xml version=\"1.0\"?>\n<!DOCTYPE data [<!ENTITY secret SYSTEM "
                + "\"file:///etc/passwd\">]>\n<data>before &secret; after</data>\n");
    }

    /** A PDF of {@code pages} tiny pages, each with one line of text. */
    public static Path manyPagesPdf(Path file, int pages) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int number = 1; number <= pages; number++) {
                PDPage page = new PDPage(new PDRectangle(100, 40));
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(font, 8);
                    content.newLineAtOffset(5, 20);
                    content.showText("page " + number);
                    content.endText();
                }
            }
            document.save(file.toFile());
        }
        return file;
    }

    /** {@code bytes} of text on one line, no newline anywhere. */
    public static Path singleLine(Path file, int bytes) throws IOException {
        byte[] line = "one very long line ".repeat(bytes / 19 + 1).substring(0, bytes).getBytes(StandardCharsets.US_ASCII);
        return Files.write(file, line);
    }

    /** A PNG of the given size. */
    public static Path png(Path file, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(width / 2, height / 2, 0xff8800);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** An OpenDocument text with a title and one paragraph. */
    public static Path odt(Path file, String title, String paragraph) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            byte[] mimetype = "application/vnd.oasis.opendocument.text".getBytes(StandardCharsets.US_ASCII);
            ZipEntry first = new ZipEntry("mimetype");
            first.setMethod(ZipEntry.STORED);
            first.setSize(mimetype.length);
            CRC32 crc = new CRC32();
            crc.update(mimetype);
            first.setCrc(crc.getValue());
            zip.putNextEntry(first);
            zip.write(mimetype);
            zip.closeEntry();
            entry(zip, "META-INF/manifest.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
                    + "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
                    + "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
                    + "<manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>"
                    + "</manifest:manifest>");
            entry(zip, "content.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
                    + " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">"
                    + "<office:body><office:text><text:p>" + paragraph + "</text:p></office:text></office:body>"
                    + "</office:document-content>");
            entry(zip, "meta.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<office:document-meta xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
                    + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.2\">"
                    + "<office:meta><dc:title>" + title + "</dc:title></office:meta></office:document-meta>");
        }
        return file;
    }

    /** A JPEG whose EXIF block names the camera's make and model. */
    public static Path jpegWithExif(Path file, String make, String model) throws IOException {
        BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", plain);
        byte[] jpeg = plain.toByteArray();
        byte[] makeBytes = (make + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] modelBytes = (model + "\0").getBytes(StandardCharsets.US_ASCII);
        int dataOffset = 8 + 2 + 2 * 12 + 4;
        ByteBuffer tiff = ByteBuffer.allocate(dataOffset + makeBytes.length + modelBytes.length);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 2);
        tiff.putShort((short) 0x010F).putShort((short) 2).putInt(makeBytes.length).putInt(dataOffset);
        tiff.putShort((short) 0x0110).putShort((short) 2).putInt(modelBytes.length).putInt(dataOffset + makeBytes.length);
        tiff.putInt(0).put(makeBytes).put(modelBytes);
        byte[] exif = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
        int length = 2 + exif.length + tiff.capacity();
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(jpeg, 0, 2);
            out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
            out.write(exif);
            out.write(tiff.array());
            out.write(jpeg, 2, jpeg.length - 2);
        }
        return file;
    }

    /** Writes the body of a document entry. */
    @FunctionalInterface
    private interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }
}
