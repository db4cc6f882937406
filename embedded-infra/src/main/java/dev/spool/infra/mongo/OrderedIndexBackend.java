package dev.spool.infra.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/** mongo-java-server's H2 backend whose databases order their index keys by value ({@link OrderedIndexDatabase}). */
final class OrderedIndexBackend extends H2Backend {

    OrderedIndexBackend(String file) {
        super(file);
    }

    /** Called from the superclass's constructor as well, for the databases in the file: it uses no fields of its own. */
    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new OrderedIndexDatabase(databaseName, getMvStore(), getCursorRegistry());
    }
}
