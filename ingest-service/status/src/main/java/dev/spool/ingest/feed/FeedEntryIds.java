package dev.spool.ingest.feed;

/** Orders Redis Stream entry ids ({@code <milliseconds>-<sequence>}) as Redis does. */
final class FeedEntryIds {

    private FeedEntryIds() {
    }

    /** Whether entry {@code id} comes after entry {@code than}. */
    static boolean isAfter(String id, String than) {
        return compare(id, than) > 0;
    }

    static int compare(String a, String b) {
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        int byTime = Long.compare(Long.parseLong(a.substring(0, dashA)), Long.parseLong(b.substring(0, dashB)));
        return byTime != 0 ? byTime : Long.compare(Long.parseLong(a.substring(dashA + 1)), Long.parseLong(b.substring(dashB + 1)));
    }
}
