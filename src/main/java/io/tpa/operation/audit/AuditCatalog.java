package io.tpa.operation.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.component.CompliancePolicy;
import io.tpa.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of `tpa audit` and the controls they support, read from {@value #RESOURCE}: data an auditor can read,
 * apart from the logic in {@link Checks}.
 */
public final class AuditCatalog {
    static final String RESOURCE = "catalog/audit.yml";
    private static final Set<String> SEVERITIES = Set.of("high", "medium", "low");
    private static AuditCatalog cached;

    private final Map<Standard, String> standardTitles;
    private final List<CheckDefinition> checks;

    AuditCatalog(Map<Standard, String> standardTitles, List<CheckDefinition> checks) {
        this.standardTitles = Map.copyOf(standardTitles);
        this.checks = List.copyOf(checks);
    }

    public static synchronized AuditCatalog load() {
        if (cached == null) {
            try (InputStream in = AuditCatalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("audit catalog missing from the build: " + RESOURCE);
                }
                cached = parse(Json.YAML.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }

    /** Reads the catalog and refuses anything a typo could have caused: unknown keys, standards or severities, a number for a text. */
    static AuditCatalog parse(JsonNode document) {
        Map<Standard, String> titles = new EnumMap<>(Standard.class);
        document.path("standards").fields().forEachRemaining(e -> titles.put(Standard.named(e.getKey()), e.getValue().asText()));
        for (Standard standard : Standard.values()) {
            require(titles.containsKey(standard), "standards: no title for " + standard.key());
        }
        List<CheckDefinition> checks = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode entry : document.path("checks")) {
            String id = text(entry, "id", null);
            require(id.matches("(cis|tpa)-[a-z0-9.-]+"), id + ": an id is cis-<section> or tpa-<name>");
            require(ids.add(id), id + ": listed twice");
            entry.fieldNames().forEachRemaining(key -> require(
                    Set.of("id", "title", "severity", "controls", "remediation", "manual", "always", "compliance").contains(key),
                    id + ": unknown key '" + key + "'"));
            String severity = text(entry, "severity", id);
            require(SEVERITIES.contains(severity), id + ": severity '" + severity + "' is not one of " + SEVERITIES);
            Map<Standard, List<String>> controls = new LinkedHashMap<>();
            entry.path("controls").fields().forEachRemaining(e -> {
                List<String> list = new ArrayList<>();
                e.getValue().forEach(control -> {
                    require(control.isTextual(), id + ": control " + control + " of " + e.getKey() + " must be quoted text");
                    list.add(control.asText());
                });
                require(!list.isEmpty(), id + ": controls of " + e.getKey() + " are empty");
                controls.put(Standard.named(e.getKey()), List.copyOf(list));
            });
            boolean always = entry.path("always").asBoolean(false);
            require(always || !controls.isEmpty(), id + ": supports no standard");
            require(!id.startsWith("cis-") || controls.containsKey(Standard.CIS), id + ": a cis- check names its CIS section");
            String compliance = entry.has("compliance") ? text(entry, "compliance", id) : null;
            require(compliance == null || compliance.equals(CompliancePolicy.CIS),
                    id + ": compliance '" + compliance + "' is not a policy; the only one is " + CompliancePolicy.CIS);
            require(compliance == null || !entry.has("manual"), id + ": a manual check never fails, so it needs no compliance");
            checks.add(new CheckDefinition(id, text(entry, "title", id), severity, controls, text(entry, "remediation", id),
                    entry.has("manual") ? text(entry, "manual", id) : null, always, compliance));
        }
        return new AuditCatalog(titles, checks);
    }

    private static String text(JsonNode entry, String key, String id) {
        JsonNode value = entry.path(key);
        require(value.isTextual() && !value.asText().isBlank(), (id == null ? "a check" : id) + ": '" + key + "' must be text");
        return value.asText().strip();
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException(RESOURCE + ": " + problem);
        }
    }

    public List<CheckDefinition> checks() {
        return checks;
    }

    /** The checks that support a standard, in catalog order. */
    public List<CheckDefinition> checks(Standard standard) {
        return checks.stream().filter(check -> check.supports(standard)).toList();
    }

    public Optional<CheckDefinition> check(String id) {
        return checks.stream().filter(check -> check.id().equals(id)).findFirst();
    }

    /** The standard's full name, such as "PCI DSS v4.0". */
    public String title(Standard standard) {
        return standardTitles.get(standard);
    }
}
