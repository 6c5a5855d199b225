/**
 * Reactor groups in the conformance suite: the {@code -in-group} variants (a member of a running group runs every
 * contract test) and {@code ReactorGroupContractTest} (the group's own contract, on every variant).
 */
package dev.weft.compat.group;
