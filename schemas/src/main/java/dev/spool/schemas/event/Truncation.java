package dev.spool.schemas.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * Where extraction stopped a text that went on beyond a limit: the job completed with the text up to the limit, as
 * search ingestion does (Elasticsearch's attachment processor keeps the first {@code indexed_chars}, Tika's write
 * limit returns the text so far).
 *
 * @param limit which limit the text reached
 * @param at the limit's value: the characters kept, or the pages read
 */
public record Truncation(Limit limit, long at) {

    public Truncation {
        Objects.requireNonNull(limit, "limit");
        if (at < 1) {
            throw new IllegalArgumentException("a limit is at least 1: " + at);
        }
    }

    /** The text was cut after {@code at} characters. */
    public static Truncation atCharacters(long at) {
        return new Truncation(Limit.CHARACTERS, at);
    }

    /** The text is that of the first {@code at} pages. */
    public static Truncation atPages(long at) {
        return new Truncation(Limit.PAGES, at);
    }

    /** A limit on extraction. On the wire it is the lower-case name, as listed in the JSON Schemas. */
    public enum Limit {
        CHARACTERS,
        PAGES;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Limit fromWireName(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
