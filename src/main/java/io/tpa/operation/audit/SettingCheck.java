package io.tpa.operation.audit;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** The most common kind of check: one parameter of the running server has an acceptable value. */
final class SettingCheck implements Check {
    private final String name;
    private final Predicate<String> accepts;
    private final String expected;

    private SettingCheck(String name, Predicate<String> accepts, String expected) {
        this.name = name;
        this.accepts = accepts;
        this.expected = expected;
    }

    /** The parameter has this value (compared without regard to case). */
    static SettingCheck is(String name, String value) {
        return new SettingCheck(name, actual -> actual.equalsIgnoreCase(value), value);
    }

    /** The parameter has one of these values. */
    static SettingCheck oneOf(String name, String... values) {
        List<String> accepted = Arrays.stream(values).map(v -> v.toLowerCase(Locale.ROOT)).toList();
        return new SettingCheck(name, actual -> accepted.contains(actual.toLowerCase(Locale.ROOT)), String.join(", ", values));
    }

    /** The parameter's value passes a test; {@code expected} says in words what passes. */
    static SettingCheck matching(String name, Predicate<String> accepts, String expected) {
        return new SettingCheck(name, accepts, expected);
    }

    @Override
    public Finding evaluate(NodeFacts node) {
        String value = node.setting(name);
        if (value == null) {
            return Finding.fail(name + " is not a parameter of this server; expected " + expected);
        }
        boolean ok = accepts.test(value);
        return Finding.passIf(ok, show(name, value) + (ok ? "" : "; expected " + expected));
    }

    /** A parameter and its value for evidence: {@code log_statement = ddl}, {@code log_line_prefix = '%m [%p] '}. */
    static String show(String name, String value) {
        boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == ',' || c == '\'');
        return name + " = " + (plain ? value : "'" + value + "'");
    }

    /** The items of a list parameter such as shared_preload_libraries ({@code pgaudit, pg_stat_statements}). */
    static List<String> items(String value) {
        return Arrays.stream(value.split(",")).map(item -> item.strip().replace("\"", "")).filter(item -> !item.isEmpty()).toList();
    }

    /** A manual check's evidence: the values of some parameters, for the person who reviews them. */
    static Check evidence(String... names) {
        return node -> Finding.manual(String.join("; ", Arrays.stream(names)
                .map(name -> node.setting(name) == null ? name + " is not set" : show(name, node.setting(name))).toList()));
    }
}
