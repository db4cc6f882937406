package dev.spool.ingest.storage;

import dev.spool.ingest.problem.SpoolProblem;

/** What became of one streamed file: stored, refused for its content, or only read for its digest. */
public sealed interface FileIntake {

    /** Bytes received. */
    long size();

    /** Hex SHA-256 of the bytes received. */
    String sha256();

    /**
     * The file is stored and verified.
     *
     * @param object the stored object
     */
    record Stored(StoredObject object) implements FileIntake {

        @Override
        public long size() {
            return object.size();
        }

        @Override
        public String sha256() {
            return object.sha256();
        }
    }

    /**
     * The file was read to its end but not kept.
     *
     * @param problem why, as shown to the caller
     * @param size bytes received
     * @param sha256 hex SHA-256 of the bytes received
     */
    record Refused(SpoolProblem problem, long size, String sha256) implements FileIntake {
    }

    /**
     * The file was read for its digest only, as when an idempotent request is repeated.
     *
     * @param size bytes received
     * @param sha256 hex SHA-256 of the bytes received
     */
    record Digested(long size, String sha256) implements FileIntake {
    }
}
