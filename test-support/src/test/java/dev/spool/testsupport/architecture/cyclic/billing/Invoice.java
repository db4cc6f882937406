package dev.spool.testsupport.architecture.cyclic.billing;

import dev.spool.testsupport.architecture.cyclic.orders.Order;

/** The other half of a package cycle, for {@code PackageCyclesTest}. */
public record Invoice(String number, Order order) {
}
