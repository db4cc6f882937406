package dev.spool.testsupport.architecture.cyclic.orders;

import dev.spool.testsupport.architecture.cyclic.billing.Invoice;

/** Half of a package cycle, for {@code PackageCyclesTest}. */
public record Order(String id, Invoice invoice) {
}
