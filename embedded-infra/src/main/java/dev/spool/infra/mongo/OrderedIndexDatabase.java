package dev.spool.infra.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 database with its unique indexes in maps ordered by {@link IndexKeyOrder}. Those maps have
 * names of their own: a data file written before keeps its index maps in the other order, so they are removed, and
 * mongo-java-server fills an empty index from the collection's documents when it opens the collection.
 */
final class OrderedIndexDatabase extends H2Database {

    private static final String INDEX_INFIX = "._index_";
    private static final String ORDERED_INDEX_INFIX = "._ordered_index_";

    /**
     * H2Database's own store. It opens the indexes of the collections in the file from its constructor, before a field
     * of this class could be set, so the store is read from the superclass, which sets it first.
     */
    private static final VarHandle STORE;

    static {
        try {
            STORE = MethodHandles.privateLookupIn(H2Database.class, MethodHandles.lookup())
                    .findVarHandle(H2Database.class, "mvStore", MVStore.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    OrderedIndexDatabase(String name, MVStore store, CursorRegistry cursors) {
        super(name, store, cursors);
    }

    private MVStore store() {
        return (MVStore) STORE.get(this);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
            boolean sparse) {
        String namespace = getFullCollectionNamespace(collectionName);
        String unordered = namespace + INDEX_INFIX + indexName;
        MVStore store = store();
        if (store.hasMap(unordered)) {
            store.removeMap(unordered);
        }
        MVMap<KeyValue, Object> positions = store.openMap(namespace + ORDERED_INDEX_INFIX + indexName,
                new MVMap.Builder<KeyValue, Object>().keyType(new IndexKeyOrder()));
        return new OrderedUniqueIndex(positions, indexName, keys, sparse);
    }

    @Override
    protected void dropIndex(MongoCollection<Object> collection, String indexName) {
        super.dropIndex(collection, indexName);
        String name = getFullCollectionNamespace(collection.getCollectionName()) + ORDERED_INDEX_INFIX + indexName;
        if (store().hasMap(name)) {
            store().removeMap(name);
        }
    }
}
