package io.tpa.operation.verify;

import io.tpa.operation.verify.NodeSettings.AlteredSetting;
import io.tpa.operation.verify.NodeSettings.Setting;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a node's running parameters differ from what tpa computed for it: a parameter set with ALTER SYSTEM (a line
 * of postgresql.auto.conf, loaded or not), a running value other than the computed one, a change that waits for a
 * restart. Values are compared as PostgreSQL reads them: {@code 512MB} is the same as {@code 65536} blocks of 8kB,
 * {@code 1d} as {@code 1440} minutes, {@code true} as {@code on}. Plain functions, no server needed.
 */
final class ParameterDrift {
    private static final Pattern NUMBER = Pattern.compile("\\s*(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)\\s*([a-zA-Z]+)?\\s*");
    private static final Pattern BASE_UNIT = Pattern.compile("(\\d*)([a-zA-Z]+)");
    private static final Map<String, Double> BYTES = Map.of("B", 1.0, "kB", 1024.0, "MB", 1024.0 * 1024, "GB", 1024.0 * 1024 * 1024,
            "TB", 1024.0 * 1024 * 1024 * 1024);
    private static final Map<String, Double> MILLISECONDS = Map.of("us", 0.001, "ms", 1.0, "s", 1000.0, "min", 60_000.0,
            "h", 3_600_000.0, "d", 86_400_000.0);
    private static final Set<String> TRUE = Set.of("on", "true", "yes", "1", "t", "y");
    private static final Set<String> FALSE = Set.of("off", "false", "no", "0", "f", "n");

    private ParameterDrift() {
    }

    /** One parameter of a node that differs: its name, and a line that says how ({@code work_mem = 64MB set with ALTER SYSTEM ...}). */
    record Difference(String parameter, String description) {
    }

    /**
     * Every difference on one node, naming the parameter, what tpa computed and what runs; empty when the node runs
     * what tpa computed.
     *
     * @param expected what tpa computed for the node: its own parameters and its cluster's
     */
    static List<Difference> differences(Map<String, String> expected, NodeSettings node) {
        List<Difference> lines = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        for (AlteredSetting altered : node.altered()) {
            if (!named.add(altered.name())) {
                continue;
            }
            StringBuilder line = new StringBuilder(altered.name() + " = " + altered.setting() + " set with ALTER SYSTEM (postgresql.auto.conf)");
            if (altered.error() != null) {
                line.append(", rejected: ").append(altered.error());
            } else if (!altered.applied()) {
                line.append(", not in effect");
            }
            String computed = expected.get(altered.name());
            line.append(computed == null ? "; tpa does not set it" : "; tpa computed " + computed);
            Setting running = node.settings().get(altered.name());
            if (running != null) {
                line.append("; runs ").append(display(running));
            }
            lines.add(new Difference(altered.name(), line.toString()));
        }
        for (Map.Entry<String, String> entry : new TreeMap<>(expected).entrySet()) {
            String name = entry.getKey();
            if (named.contains(name)) {
                continue;
            }
            Setting running = node.settings().get(name);
            if (running == null) {
                // An extension's parameter exists only once the extension is loaded; the extensions check that.
                if (!name.contains(".")) {
                    lines.add(new Difference(name, name + ": the server has no such parameter; tpa computed " + entry.getValue()));
                }
                continue;
            }
            if (!same(entry.getValue(), running)) {
                named.add(name);
                lines.add(new Difference(name, name + " = " + display(running) + " (" + origin(running) + "); tpa computed " + entry.getValue()));
            }
        }
        new TreeMap<>(node.settings()).forEach((name, setting) -> {
            if (setting.pendingRestart() && !named.contains(name)) {
                lines.add(new Difference(name, name + ": a changed value waits for a restart; runs " + display(setting)));
            }
        });
        return lines;
    }

    /** True when a computed value is what PostgreSQL runs. */
    static boolean same(String expected, Setting running) {
        String actual = running.setting() == null ? "" : running.setting();
        String type = running.vartype() == null ? "string" : running.vartype();
        return switch (type) {
            case "bool" -> bool(expected) != null && bool(expected).equals(bool(actual));
            case "integer", "real" -> sameNumber(expected, actual, running.unit(), type.equals("integer"));
            case "enum" -> unquoted(expected).equalsIgnoreCase(actual);
            default -> unquoted(expected).equals(actual) || items(unquoted(expected)).equals(items(actual));
        };
    }

    private static boolean sameNumber(String expected, String actual, String unit, boolean integer) {
        Double inBase = inBaseUnit(unquoted(expected), unit);
        if (inBase == null) {
            return unquoted(expected).equals(actual);
        }
        double running;
        try {
            running = Double.parseDouble(actual);
        } catch (NumberFormatException e) {
            return false;
        }
        return integer ? Math.round(inBase) == Math.round(running) : Math.abs(inBase - running) <= 1e-9 * Math.max(1, Math.abs(running));
    }

    /** A value as a number of the parameter's base unit ({@code 512MB} in 8kB is 65536); null when it is not a number of a known unit. */
    static Double inBaseUnit(String value, String unit) {
        Matcher number = NUMBER.matcher(value);
        if (!number.matches()) {
            return null;
        }
        double amount = Double.parseDouble(number.group(1));
        String given = number.group(2);
        if (given == null) {
            return amount;
        }
        if (unit == null) {
            return null;
        }
        Matcher base = BASE_UNIT.matcher(unit);
        if (!base.matches()) {
            return null;
        }
        double multiple = base.group(1).isEmpty() ? 1 : Double.parseDouble(base.group(1));
        Map<String, Double> scale = BYTES.containsKey(base.group(2)) ? BYTES : MILLISECONDS.containsKey(base.group(2)) ? MILLISECONDS : null;
        if (scale == null || !scale.containsKey(given)) {
            return null;
        }
        return amount * scale.get(given) / (multiple * scale.get(base.group(2)));
    }

    /**
     * A running value as a person writes it: {@code 64MB} for 65536 kB, {@code 1d} for 1440 min, as PostgreSQL's SHOW
     * does (the largest unit that divides it; 0 and -1 without one); other values as they are.
     */
    static String display(Setting setting) {
        String value = setting.setting() == null ? "" : setting.setting();
        if (setting.unit() == null || !"integer".equals(setting.vartype())) {
            return value.isEmpty() || value.chars().anyMatch(Character::isWhitespace) ? "'" + value + "'" : value;
        }
        Matcher base = BASE_UNIT.matcher(setting.unit());
        long amount;
        try {
            amount = Long.parseLong(value);
        } catch (NumberFormatException e) {
            return value + setting.unit();
        }
        if (!base.matches() || amount <= 0) {
            return value; // 0 and -1 mean off or default: SHOW gives them without a unit
        }
        long multiple = base.group(1).isEmpty() ? 1 : Long.parseLong(base.group(1));
        boolean memory = BYTES.containsKey(base.group(2));
        Map<String, Double> scale = memory ? BYTES : MILLISECONDS.containsKey(base.group(2)) ? MILLISECONDS : null;
        if (scale == null) {
            return value + setting.unit();
        }
        double total = amount * multiple * scale.get(base.group(2));
        List<String> units = memory ? List.of("TB", "GB", "MB", "kB", "B") : List.of("d", "h", "min", "s", "ms", "us");
        for (String candidate : units) {
            double count = total / scale.get(candidate);
            if (count >= 1 && Math.abs(count - Math.rint(count)) < 1e-9) {
                return (long) Math.rint(count) + candidate;
            }
        }
        return value + setting.unit();
    }

    /** Where a running value comes from, for the evidence: the file that set it, or its source. */
    private static String origin(Setting setting) {
        if (setting.sourcefile() != null) {
            return "from " + setting.sourcefile().substring(setting.sourcefile().lastIndexOf('/') + 1);
        }
        return setting.source() == null ? "source unknown" : "source: " + setting.source();
    }

    private static String bool(String value) {
        String lower = unquoted(value).toLowerCase(Locale.ROOT);
        return TRUE.contains(lower) ? "on" : FALSE.contains(lower) ? "off" : null;
    }

    private static String unquoted(String value) {
        String stripped = value.strip();
        return stripped.length() >= 2 && stripped.startsWith("'") && stripped.endsWith("'") ? stripped.substring(1, stripped.length() - 1) : value;
    }

    private static List<String> items(String value) {
        return Arrays.stream(value.split(",")).map(item -> item.strip().replace("\"", "")).filter(item -> !item.isEmpty()).toList();
    }
}
