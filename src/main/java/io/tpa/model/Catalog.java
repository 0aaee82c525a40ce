package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.error.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data files under {@code catalog/}: node sizes and the packages tpa installs per
 * distribution and PostgreSQL major version. Read from the classpath, so the jar carries them.
 */
public record Catalog(
        String defaultSize,
        Map<String, SizeSpec> sizes,
        int defaultPostgresVersion,
        Map<String, Distribution> distributions,
        Map<String, Extension> extensions,
        Set<String> contrib) {

    /** The distribution tpa targets today; later issues detect it per host. */
    public static final String DEFAULT_DISTRIBUTION = "debian-12";

    public record Distribution(Map<String, PostgresPackages> postgres, Map<String, Component> components) {
    }

    public record PostgresPackages(
            List<String> packages,
            @JsonProperty("bin_dir") String binDir,
            @JsonProperty("share_dir") String shareDir) {
    }

    public record Component(String version, List<String> packages) {
    }

    public record Extension(String package_, boolean preload, boolean create) {
    }

    private static Catalog cached;

    public static synchronized Catalog load() {
        if (cached == null) {
            cached = read();
        }
        return cached;
    }

    private static Catalog read() {
        JsonNode sizesDoc = resource("catalog/sizes.yml");
        JsonNode versionsDoc = resource("catalog/versions.yml");
        Map<String, SizeSpec> sizes = new LinkedHashMap<>();
        sizesDoc.get("sizes").fields().forEachRemaining(e -> sizes.put(e.getKey(), new SizeSpec(e.getKey(),
                e.getValue().get("cpus").asInt(), e.getValue().get("memory_gb").asDouble(),
                e.getValue().get("disk_gb").asInt())));
        Map<String, Distribution> distributions = new LinkedHashMap<>();
        versionsDoc.get("distributions").fields().forEachRemaining(e -> distributions.put(e.getKey(),
                Json.YAML.convertValue(e.getValue(), Distribution.class)));
        Map<String, Extension> extensions = new LinkedHashMap<>();
        versionsDoc.get("extensions").fields().forEachRemaining(e -> extensions.put(e.getKey(), new Extension(
                e.getValue().path("package").asText(null),
                e.getValue().path("preload").asBoolean(false),
                e.getValue().path("create").asBoolean(true))));
        Set<String> contrib = new LinkedHashSet<>();
        versionsDoc.get("contrib").forEach(n -> contrib.add(n.asText()));
        return new Catalog(sizesDoc.get("default").asText(), Map.copyOf(sizes),
                versionsDoc.get("default_postgres_version").asInt(), Map.copyOf(distributions),
                Map.copyOf(extensions), Set.copyOf(contrib));
    }

    private static JsonNode resource(String name) {
        try (InputStream in = Catalog.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("catalog file missing from the build: " + name);
            }
            return Json.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Distribution distribution() {
        return distributions.get(DEFAULT_DISTRIBUTION);
    }

    public PostgresPackages postgres(int major) {
        PostgresPackages packages = distribution().postgres().get(Integer.toString(major));
        if (packages == null) {
            throw new UserError("PostgreSQL " + major + " is not in the version catalog for " + DEFAULT_DISTRIBUTION
                    + ": choose one of " + distribution().postgres().keySet() + " (see `tpa versions`)");
        }
        return packages;
    }

    public List<Integer> postgresVersions() {
        return distribution().postgres().keySet().stream().map(Integer::valueOf).sorted().toList();
    }

    /** True when the extension is known: in the server package (contrib) or listed with its own package. */
    public boolean knowsExtension(String name) {
        return contrib.contains(name) || extensions.containsKey(name);
    }

    public boolean preloaded(String extension) {
        Extension e = extensions.get(extension);
        return e != null && e.preload();
    }

    public boolean created(String extension) {
        Extension e = extensions.get(extension);
        return e == null || e.create();
    }

    /** Every OS package a group with this PostgreSQL major and these extensions needs, in install order. */
    public List<String> packages(int major, List<String> groupExtensions) {
        List<String> all = new ArrayList<>(postgres(major).packages());
        distribution().components().values().forEach(c -> all.addAll(c.packages()));
        for (String extension : groupExtensions) {
            Extension e = extensions.get(extension);
            if (e != null && e.package_() != null) {
                all.add(e.package_().replace("{major}", Integer.toString(major)));
            }
        }
        return List.copyOf(new LinkedHashSet<>(all));
    }
}
