package dev.spool.schemas.event;

import java.util.List;

/**
 * What an image says about itself in its EXIF, XMP and IPTC metadata: the facts people search and sort photos by.
 * Each is {@code null} when the file does not carry it. Where the three standards disagree, XMP wins, then EXIF,
 * then IPTC: XMP is what current photo tools write, always in UTF-8.
 *
 * @param width width in pixels, as stored (before {@code orientation} is applied)
 * @param height height in pixels, as stored
 * @param orientation EXIF orientation, 1 to 8: how to turn the stored pixels to view them (1 as stored, 3 turned
 *     180°, 6 turned 90° clockwise, 8 turned 90° counter-clockwise; 2, 4, 5 and 7 the same mirrored)
 * @param capturedAt when the picture was taken, ISO-8601: with the offset when the file records one
 *     ({@code 2024-06-15T18:42:07+02:00}), else the camera's local time ({@code 2024-06-15T18:42:07})
 * @param cameraMake maker of the camera (EXIF Make)
 * @param cameraModel model of the camera (EXIF Model)
 * @param gps where the picture was taken; personal data, dropped when the processor is told not to keep it
 * @param description the caption: XMP dc:description, EXIF ImageDescription or IPTC Caption/Abstract
 * @param title the title: XMP dc:title or IPTC Object Name
 * @param headline the headline: XMP photoshop:Headline or IPTC Headline
 * @param keywords XMP dc:subject and IPTC Keywords, each once, in the file's order
 */
public record ImageMetadata(
        Integer width,
        Integer height,
        Integer orientation,
        String capturedAt,
        String cameraMake,
        String cameraModel,
        GpsPosition gps,
        String description,
        String title,
        String headline,
        List<String> keywords) {

    public ImageMetadata {
        if (orientation != null && (orientation < 1 || orientation > 8)) {
            throw new IllegalArgumentException("an EXIF orientation is 1 to 8: " + orientation);
        }
        keywords = keywords == null || keywords.isEmpty() ? null : List.copyOf(keywords);
    }

    /** The same metadata without where the picture was taken. */
    public ImageMetadata withoutGps() {
        return gps == null ? this : new ImageMetadata(width, height, orientation, capturedAt, cameraMake, cameraModel,
                null, description, title, headline, keywords);
    }

    /**
     * Where a picture was taken, as the EXIF GPS tags record it.
     *
     * @param latitude decimal degrees, north positive
     * @param longitude decimal degrees, east positive
     * @param altitude metres above sea level (negative below); {@code null} when not recorded
     */
    public record GpsPosition(double latitude, double longitude, Double altitude) {

        public GpsPosition {
            if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
                throw new IllegalArgumentException("not a position on Earth: " + latitude + ", " + longitude);
            }
        }
    }
}
