package dev.spool.processor.extraction;

import dev.spool.schemas.event.ErrorCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Refuses zip-based documents (OOXML, ODF, EPUB, zip) whose central directory promises more than the limits allow,
 * before any entry is inflated. Declared sizes can lie; the worker's heap and timeout catch a liar.
 */
final class ZipBombCheck {

    /** Entries this small cannot be a bomb whatever their ratio (a run of spaces compresses a thousandfold). */
    private static final long SMALL_ENTRY = 1024 * 1024;

    private ZipBombCheck() {
    }

    static void check(Path document, ExtractionLimits limits) throws ExtractionRefusedException {
        try (ZipFile zip = new ZipFile(document.toFile())) {
            long expanded = 0;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                long size = entry.getSize();
                long compressed = entry.getCompressedSize();
                if (size < 0) {
                    continue;
                }
                expanded += size;
                if (expanded > limits.maxExpandedBytes()) {
                    throw new ExtractionRefusedException(ErrorCode.TOO_LARGE_TO_EXTRACT, "the document expands to more than "
                            + limits.maxExpandedBytes() + " bytes");
                }
                if (size > SMALL_ENTRY && compressed > 0 && size / compressed > limits.maxCompressionRatio()) {
                    throw new ExtractionRefusedException(ErrorCode.TOO_LARGE_TO_EXTRACT, "entry " + entry.getName()
                            + " expands " + size / compressed + " times, more than the allowed " + limits.maxCompressionRatio());
                }
            }
        } catch (ZipException notAZip) {
            // not a zip after all (or a broken one): the parser decides what it is
        } catch (IOException e) {
            throw new ExtractionRefusedException(ErrorCode.CORRUPT, "unreadable zip container: " + e.getMessage());
        }
    }
}
