package dev.spool.infra.mongo;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The key type of the embedded store's unique indexes: written and read as H2 writes any object, but ordered by the
 * keys' values. mongo-java-server keys its indexes with {@link KeyValue}, which H2 does not know and which is not
 * {@code Comparable}, so H2's own type compared two keys by serializing both with Java serialization, at every step
 * of every binary search: about half of the Mongo-wire server's CPU under the projection's writes.
 */
final class IndexKeyOrder extends ObjectDataType {

    private static final ValueComparator VALUES = ValueComparator.asc();

    @Override
    public int compare(Object a, Object b) {
        if (a instanceof KeyValue left && b instanceof KeyValue right) {
            int common = Math.min(left.size(), right.size());
            for (int i = 0; i < common; i++) {
                int order = VALUES.compare(left.get(i), right.get(i));
                if (order != 0) {
                    return order;
                }
            }
            return Integer.compare(left.size(), right.size());
        }
        return super.compare(a, b);
    }
}
