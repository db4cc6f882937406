package dev.spool.ingest.feed;

/**
 * What an owner's feed holds now, as far as a resume needs to know.
 *
 * @param length how many entries it has
 * @param oldestId its oldest entry's id; {@code null} when it has none
 */
record OwnerFeedState(long length, String oldestId) {
}
