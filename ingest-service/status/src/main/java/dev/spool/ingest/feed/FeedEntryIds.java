package dev.spool.ingest.feed;

/** Orders Redis Stream entry ids ({@code <milliseconds>-<sequence>}) as Redis does. */
final class FeedEntryIds {

    private FeedEntryIds() {
    }

    /** Whether entry {@code id} comes after entry {@code than}. */
    static boolean isAfter(String id, String than) {
        return compare(id, than) > 0;
    }

    /** The milliseconds part of entry {@code id}: when Redis added it. */
    static long millis(String id) {
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    static int compare(String a, String b) {
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        int byTime = Long.compare(Long.parseLong(a.substring(0, dashA)), Long.parseLong(b.substring(0, dashB)));
        return byTime != 0 ? byTime : Long.compare(Long.parseLong(a.substring(dashA + 1)), Long.parseLong(b.substring(dashB + 1)));
    }
}
