package dev.spool.testsupport.architecture.acyclic.billing;

/** Depends on no other package, for {@code PackageCyclesTest}. */
public record Invoice(String number) {
}
