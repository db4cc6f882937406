package dev.spool.ingest.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ContentTypeDetectorTest {

    private final ContentTypeDetector detector = new ContentTypeDetector();

    @Test
    void detectsAPdfByItsHeader() {
        byte[] pdf = "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(detector.detect(pdf)).isEqualTo("application/pdf");
    }

    @Test
    void detectsAPng() throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", png);
        assertThat(detector.detect(png.toByteArray())).isEqualTo("image/png");
    }

    @Test
    void detectsHeicByItsFileTypeBox() {
        // the first box of an iPhone photo: size 24, "ftyp", brand "heic", version 0, compatible "mif1", "heic"
        byte[] heic = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'};
        assertThat(detector.detect(heic)).isEqualTo("image/heic");
    }

    @Test
    void namesTheOfficeKindFromTheEntries() throws IOException {
        assertThat(detector.detect(zip("[Content_Types].xml", "word/document.xml"))).isEqualTo(ContentTypeDetector.DOCX);
        assertThat(detector.detect(zip("[Content_Types].xml", "xl/workbook.xml"))).isEqualTo(ContentTypeDetector.XLSX);
        assertThat(detector.detect(zip("[Content_Types].xml", "ppt/presentation.xml")))
                .isEqualTo(ContentTypeDetector.PPTX);
    }

    @Test
    void findsTheOfficeKindWhenContentTypesIsNotTheFirstEntry() throws IOException {
        assertThat(detector.detect(zip("_rels/.rels", "[Content_Types].xml", "word/document.xml")))
                .isEqualTo(ContentTypeDetector.DOCX);
    }

    @Test
    void anOoxmlPackageWithoutAKnownPartStaysGenericOoxml() throws IOException {
        assertThat(detector.detect(zip("_rels/.rels", "[Content_Types].xml", "docProps/core.xml")))
                .isEqualTo(ContentTypeDetector.OOXML);
    }

    @Test
    void aPlainZipIsAZip() throws IOException {
        assertThat(detector.detect(zip("a.txt"))).isEqualTo("application/zip");
    }

    @Test
    void detectsAnElfExecutable() {
        byte[] elf = new byte[64];
        byte[] ident = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        System.arraycopy(ident, 0, elf, 0, ident.length);
        // e_type ET_EXEC, little-endian; without it Tika only says application/x-elf.
        elf[16] = 2;
        elf[18] = 0x3e;
        assertThat(detector.detect(elf)).isEqualTo("application/x-executable");
    }

    @Test
    void detectsUtf16TextByItsByteOrderMark() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.write(0xff);
        text.write(0xfe);
        text.writeBytes("Hello, world. Bonjour \u00e0 tous.\n".repeat(10).getBytes(StandardCharsets.UTF_16LE));
        assertThat(detector.detect(text.toByteArray())).isEqualTo("text/plain");
    }

    @Test
    void detectsLatin1Text() {
        byte[] french = "Les \u00e9l\u00e8ves \u00e9tudient \u00e0 l'\u00e9cole. ".repeat(12)
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(detector.detect(french)).isEqualTo("text/plain");
    }

    @Test
    void randomBytesAreUnrecognisedBinary() {
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        assertThat(detector.detect(random)).isEqualTo("application/octet-stream");
    }

    @Test
    void detectsAShellScript() {
        assertThat(detector.detect("#!/bin/sh\necho hello\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("application/x-sh");
    }

    private static byte[] zip(String... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(("<x name=\"" + entry + "\"/>").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
