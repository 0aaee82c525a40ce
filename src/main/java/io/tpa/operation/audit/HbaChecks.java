package io.tpa.operation.audit;

import io.tpa.operation.audit.NodeFacts.HbaRule;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Checks of the live pg_hba.conf, as PostgreSQL reads it (pg_hba_file_rules): how each kind of login
 * authenticates (CIS section 5) and that the network always needs TLS (CIS 6.8). A failure names each
 * offending line with its file and line number.
 */
final class HbaChecks {
    /** Methods that send no password, send it in clear, or keep a weak hash of it, or trust the client's word. */
    static final List<String> WEAK_METHODS = List.of("trust", "password", "md5", "ident");

    private HbaChecks() {
    }

    /** Logins over the Unix socket (local lines) use no weak method. */
    static Check local() {
        return lines(HbaRule::isLocal, rule -> WEAK_METHODS.contains(rule.method()), "local", "uses " + String.join(", ", WEAK_METHODS));
    }

    /** Logins over TCP/IP (host, hostssl, hostnossl, hostgssenc lines) use no weak method. */
    static Check host() {
        return lines(rule -> !rule.isLocal(), rule -> WEAK_METHODS.contains(rule.method()), "TCP/IP", "uses " + String.join(", ", WEAK_METHODS));
    }

    /** Every TCP/IP line demands an encrypted connection: hostssl (or hostgssenc), never host or hostnossl. */
    static Check hostssl() {
        return lines(rule -> !rule.isLocal(), rule -> rule.type().equals("host") || rule.type().equals("hostnossl"),
                "TCP/IP", "admits connections without TLS");
    }

    /**
     * Fails on every line of a kind that is offending, or has an error (PostgreSQL then keeps the rules it had);
     * passes with a count of the lines per method.
     */
    private static Check lines(Predicate<HbaRule> kind, Predicate<HbaRule> offending, String noun, String why) {
        return node -> {
            List<HbaRule> rules = node.hba().stream().filter(rule -> rule.error() != null || kind.test(rule)).toList();
            List<String> problems = rules.stream().filter(rule -> rule.error() != null || offending.test(rule))
                    .map(rule -> rule.describe() + (rule.error() != null ? " (error: " + rule.error() + ")" : " (" + why + ")"))
                    .toList();
            if (!problems.isEmpty()) {
                return Finding.fail(String.join("; ", problems));
            }
            if (rules.isEmpty()) {
                return Finding.pass("no " + noun + " lines");
            }
            Map<String, Long> byType = rules.stream().collect(Collectors.groupingBy(rule -> rule.type() + " " + rule.method(),
                    TreeMap::new, Collectors.counting()));
            return Finding.pass(rules.size() + " " + noun + " line" + (rules.size() == 1 ? "" : "s") + " in " + rules.get(0).file() + ": "
                    + byType.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
        };
    }
}
