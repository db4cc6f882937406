package dev.spool.processor.extraction.image;

import com.adobe.internal.xmp.XMPConst;
import com.adobe.internal.xmp.XMPDateTime;
import com.adobe.internal.xmp.XMPException;
import com.adobe.internal.xmp.XMPMeta;
import com.adobe.internal.xmp.properties.XMPProperty;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.lang.GeoLocation;
import com.drew.lang.Rational;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.StringValue;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.gif.GifHeaderDirectory;
import com.drew.metadata.iptc.IptcDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import dev.spool.schemas.event.ImageMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what an image says about itself from its EXIF, XMP and IPTC metadata, with the reader Tika's image parsers use
 * (metadata-extractor), which reads the metadata segments and headers only and never decodes a pixel. Where the
 * standards disagree XMP wins, then EXIF, then IPTC; the job's text gets every distinct caption all the same.
 *
 * <p>HEIC/HEIF photos give their EXIF only: the reader neither reads their XMP nor tells their pixel size.
 *
 * <p>IPTC text is in the character set its record 1:90 names; older files name none and hold Latin-1, so text that
 * is not well-formed UTF-8 is read as Latin-1, whatever the platform's default; EXIF text the same way. XMP is
 * always UTF-8.
 */
public final class ImageMetadataParser {

    private static final DateTimeFormatter EXIF_DATE_TIME = DateTimeFormatter.ofPattern("uuuu:MM:dd HH:mm:ss");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter WITH_OFFSET = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    /**
     * Where each file format keeps its pixel size: the directory and its width and height tags. The format's own
     * header first; TIFF keeps it in its first IFD, which is EXIF's IFD0, so that comes last. Not HEIF: the reader
     * gives the size of its coded tiles (64 × 64 for a 48 × 36 photo), not of the picture.
     */
    private static final List<PixelSize> SIZES = List.of(
            new PixelSize(JpegDirectory.class, JpegDirectory.TAG_IMAGE_WIDTH, JpegDirectory.TAG_IMAGE_HEIGHT),
            new PixelSize(PngDirectory.class, PngDirectory.TAG_IMAGE_WIDTH, PngDirectory.TAG_IMAGE_HEIGHT),
            new PixelSize(WebpDirectory.class, WebpDirectory.TAG_IMAGE_WIDTH, WebpDirectory.TAG_IMAGE_HEIGHT),
            new PixelSize(GifHeaderDirectory.class, GifHeaderDirectory.TAG_IMAGE_WIDTH,
                    GifHeaderDirectory.TAG_IMAGE_HEIGHT),
            new PixelSize(BmpHeaderDirectory.class, BmpHeaderDirectory.TAG_IMAGE_WIDTH,
                    BmpHeaderDirectory.TAG_IMAGE_HEIGHT),
            new PixelSize(ExifIFD0Directory.class, ExifDirectoryBase.TAG_IMAGE_WIDTH, ExifDirectoryBase.TAG_IMAGE_HEIGHT));
    private static final double GPS_DECIMALS = 1e7;
    private static final double ALTITUDE_DECIMALS = 100;
    private static final int BELOW_SEA_LEVEL = 1;
    private static final int MILLIS_PER_SECOND = 1000;

    private ImageMetadataParser() {
    }

    /**
     * The metadata of the image at {@code file}.
     *
     * @throws ImageProcessingException when the file is no image format the reader knows
     */
    public static ImageFindings parse(Path file) throws IOException, ImageProcessingException {
        return parse(ImageMetadataReader.readMetadata(file.toFile()));
    }

    static ImageFindings parse(Metadata metadata) {
        ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        IptcDirectory iptc = metadata.getFirstDirectoryOfType(IptcDirectory.class);
        XmpDirectory xmpDirectory = metadata.getFirstDirectoryOfType(XmpDirectory.class);
        XMPMeta xmp = xmpDirectory == null ? null : xmpDirectory.getXMPMeta();

        DistinctTexts titles = new DistinctTexts();
        titles.add(localized(xmp, XMPConst.NS_DC, "title"));
        titles.add(iptcText(iptc, IptcDirectory.TAG_OBJECT_NAME));
        DistinctTexts headlines = new DistinctTexts();
        headlines.add(property(xmp, XMPConst.NS_PHOTOSHOP, "Headline"));
        headlines.add(iptcText(iptc, IptcDirectory.TAG_HEADLINE));
        DistinctTexts descriptions = new DistinctTexts();
        descriptions.add(localized(xmp, XMPConst.NS_DC, "description"));
        descriptions.add(exifText(exif, ExifDirectoryBase.TAG_IMAGE_DESCRIPTION));
        descriptions.add(iptcText(iptc, IptcDirectory.TAG_CAPTION));
        DistinctTexts keywords = new DistinctTexts();
        keywords.addAll(arrayItems(xmp, XMPConst.NS_DC, "subject"));
        keywords.addAll(iptcTexts(iptc, IptcDirectory.TAG_KEYWORDS));

        int[] size = size(metadata);
        ImageMetadata image = new ImageMetadata(size == null ? null : size[0], size == null ? null : size[1],
                orientation(exif), capturedAt(metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class), xmp),
                exifText(exif, ExifDirectoryBase.TAG_MAKE), exifText(exif, ExifDirectoryBase.TAG_MODEL),
                gps(metadata.getFirstDirectoryOfType(GpsDirectory.class)), descriptions.first(), titles.first(),
                headlines.first(), keywords.list());
        return new ImageFindings(image, searchableLines(titles, headlines, descriptions, keywords));
    }

    /** Title, headline and captions a line each, the same text once; the keywords on one line. */
    private static List<String> searchableLines(DistinctTexts titles, DistinctTexts headlines,
            DistinctTexts descriptions, DistinctTexts keywords) {
        DistinctTexts lines = new DistinctTexts();
        lines.addAll(titles.list());
        lines.addAll(headlines.list());
        lines.addAll(descriptions.list());
        List<String> all = new ArrayList<>(lines.list());
        if (!keywords.list().isEmpty()) {
            all.add(DistinctTexts.normalise(String.join(", ", keywords.list())));
        }
        return all;
    }

    private static int[] size(Metadata metadata) {
        for (PixelSize candidate : SIZES) {
            Directory directory = metadata.getFirstDirectoryOfType(candidate.directory());
            if (directory != null) {
                Integer width = directory.getInteger(candidate.widthTag());
                Integer height = directory.getInteger(candidate.heightTag());
                if (width != null && height != null && width > 0 && height > 0) {
                    return new int[] {width, height};
                }
            }
        }
        return null;
    }

    private static Integer orientation(ExifIFD0Directory exif) {
        Integer orientation = exif == null ? null : exif.getInteger(ExifDirectoryBase.TAG_ORIENTATION);
        return orientation != null && orientation >= 1 && orientation <= 8 ? orientation : null;
    }

    /**
     * EXIF's DateTimeOriginal with its OffsetTimeOriginal when the file has one (EXIF 2.31 on), else XMP's
     * exif:DateTimeOriginal or photoshop:DateCreated; {@code null} when none, or the camera wrote zeros.
     */
    private static String capturedAt(ExifSubIFDDirectory exif, XMPMeta xmp) {
        String fromExif = exif == null ? null : exifDateTime(exif.getString(ExifDirectoryBase.TAG_DATETIME_ORIGINAL),
                exif.getString(ExifDirectoryBase.TAG_TIME_ZONE_ORIGINAL));
        if (fromExif != null) {
            return fromExif;
        }
        String fromXmp = xmpDateTime(xmp, XMPConst.NS_EXIF, "DateTimeOriginal");
        return fromXmp != null ? fromXmp : xmpDateTime(xmp, XMPConst.NS_PHOTOSHOP, "DateCreated");
    }

    static String exifDateTime(String dateTime, String offset) {
        if (dateTime == null) {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.parse(dateTime.trim(), EXIF_DATE_TIME);
            ZoneOffset zone = offset(offset);
            return zone == null ? LOCAL.format(local) : WITH_OFFSET.format(local.atOffset(zone));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static ZoneOffset offset(String offset) {
        if (offset == null || offset.isBlank()) {
            return null;
        }
        try {
            return ZoneOffset.of(offset.trim());
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String xmpDateTime(XMPMeta xmp, String namespace, String name) {
        if (xmp == null) {
            return null;
        }
        try {
            XMPDateTime date = xmp.getPropertyDate(namespace, name);
            if (date == null || !date.hasDate() || !date.hasTime()) {
                return null;
            }
            LocalDateTime local = LocalDateTime.of(date.getYear(), date.getMonth(), date.getDay(), date.getHour(),
                    date.getMinute(), date.getSecond());
            return date.hasTimeZone()
                    ? WITH_OFFSET.format(local.atOffset(ZoneOffset.ofTotalSeconds(date.getTimeZone().getRawOffset()
                            / MILLIS_PER_SECOND)))
                    : LOCAL.format(local);
        } catch (XMPException | DateTimeException e) {
            return null;
        }
    }

    /** The position, rounded to 1 cm; {@code null} without one, or at 0°, 0° (what receivers without a fix write). */
    private static ImageMetadata.GpsPosition gps(GpsDirectory gps) {
        GeoLocation location = gps == null ? null : gps.getGeoLocation();
        if (location == null || location.isZero() || Math.abs(location.getLatitude()) > 90
                || Math.abs(location.getLongitude()) > 180) {
            return null;
        }
        Rational altitude = gps.getRational(GpsDirectory.TAG_ALTITUDE);
        Double metres = null;
        if (altitude != null && altitude.getDenominator() != 0) {
            Integer reference = gps.getInteger(GpsDirectory.TAG_ALTITUDE_REF);
            double above = Math.round(altitude.doubleValue() * ALTITUDE_DECIMALS) / ALTITUDE_DECIMALS;
            metres = reference != null && reference == BELOW_SEA_LEVEL ? -above : above;
        }
        return new ImageMetadata.GpsPosition(Math.round(location.getLatitude() * GPS_DECIMALS) / GPS_DECIMALS,
                Math.round(location.getLongitude() * GPS_DECIMALS) / GPS_DECIMALS, metres);
    }

    /**
     * An EXIF text. The standard says ASCII; tools write UTF-8 (exiftool, phones) or, older ones, Latin-1, and the
     * reader would decode it in the platform's charset, which in a container is often ASCII.
     */
    private static String exifText(ExifIFD0Directory exif, int tag) {
        if (exif == null) {
            return null;
        }
        StringValue value = exif.getStringValue(tag);
        return DistinctTexts.normalise(value == null ? exif.getString(tag) : utf8OrLatin1(value.getBytes()));
    }

    private static String iptcText(IptcDirectory iptc, int tag) {
        List<String> texts = iptcTexts(iptc, tag);
        return texts.isEmpty() ? null : texts.get(0);
    }

    private static List<String> iptcTexts(IptcDirectory iptc, int tag) {
        // a single value comes as an array of one
        StringValue[] values = iptc == null ? null : iptc.getStringValueArray(tag);
        if (values == null) {
            return List.of();
        }
        boolean declared = iptc != null && iptc.containsTag(IptcDirectory.TAG_CODED_CHARACTER_SET);
        List<String> texts = new ArrayList<>();
        for (StringValue value : values) {
            texts.add(declared && value.getCharset() != null ? value.toString() : utf8OrLatin1(value.getBytes()));
        }
        return texts;
    }

    /** {@code bytes} as UTF-8 when they are well-formed UTF-8, else as Latin-1 (which any bytes are). */
    static String utf8OrLatin1(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static String localized(XMPMeta xmp, String namespace, String name) {
        if (xmp == null) {
            return null;
        }
        try {
            XMPProperty text = xmp.getLocalizedText(namespace, name, "", XMPConst.X_DEFAULT);
            return text == null ? null : text.getValue();
        } catch (XMPException e) {
            return null;
        }
    }

    private static String property(XMPMeta xmp, String namespace, String name) {
        if (xmp == null) {
            return null;
        }
        try {
            return xmp.getPropertyString(namespace, name);
        } catch (XMPException e) {
            return null;
        }
    }

    private static List<String> arrayItems(XMPMeta xmp, String namespace, String name) {
        List<String> items = new ArrayList<>();
        if (xmp == null) {
            return items;
        }
        try {
            int count = xmp.doesPropertyExist(namespace, name) ? xmp.countArrayItems(namespace, name) : 0;
            for (int i = 1; i <= count; i++) {
                XMPProperty item = xmp.getArrayItem(namespace, name, i);
                if (item != null) {
                    items.add(item.getValue());
                }
            }
        } catch (XMPException e) {
            return items;
        }
        return items;
    }

    private record PixelSize(Class<? extends Directory> directory, int widthTag, int heightTag) {
    }
}
