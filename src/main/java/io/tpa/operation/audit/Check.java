package io.tpa.operation.audit;

/** The logic of one automated check: what it concludes from the facts read from a node. */
@FunctionalInterface
interface Check {
    Finding evaluate(NodeFacts node);
}
