package dev.spool.testsupport.architecture.acyclic.orders;

import dev.spool.testsupport.architecture.acyclic.billing.Invoice;

/** Depends on billing, which does not depend back, for {@code PackageCyclesTest}. */
public record Order(String id, Invoice invoice) {
}
