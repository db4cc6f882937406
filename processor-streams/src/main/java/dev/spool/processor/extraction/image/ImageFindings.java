package dev.spool.processor.extraction.image;

import dev.spool.schemas.event.ImageMetadata;
import java.util.List;
import java.util.Objects;

/**
 * What an image's metadata gives a job: the result's image part, and the lines that make the image findable by its
 * words (title, headline, every distinct caption, the keywords), which go into the job's text.
 *
 * @param metadata the image part of the result
 * @param searchableLines the words people search the image by, each distinct line once; empty when it has none
 */
public record ImageFindings(ImageMetadata metadata, List<String> searchableLines) {

    public ImageFindings {
        Objects.requireNonNull(metadata, "metadata");
        searchableLines = List.copyOf(searchableLines);
    }

    /** The lines as text: one a line, each ended by a line break; empty when there are none. */
    public String searchableText() {
        StringBuilder text = new StringBuilder();
        for (String line : searchableLines) {
            text.append(line).append('\n');
        }
        return text.toString();
    }
}
