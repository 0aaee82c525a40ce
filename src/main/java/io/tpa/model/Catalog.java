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
        Map<String, Distribution> distributions,
        Map<String, Extension> extensions,
        Set<String> contrib) {

    /** The release of a node recorded before tpa read each host's release (they all ran Debian 12). */
    public static final String DEFAULT_DISTRIBUTION = "debian-12";

    /**
     * What tpa installs on one release of a distribution.
     *
     * @param defaultPostgres the PostgreSQL major a group gets there when its config names none (the release's own)
     */
    public record Distribution(
            @JsonProperty("default_postgres") int defaultPostgres,
            Map<String, PostgresPackages> postgres,
            Map<String, Component> components) {

        public boolean offers(int major) {
            return postgres.containsKey(Integer.toString(major));
        }

        /** The PostgreSQL majors of this release, lowest first. */
        public List<Integer> postgresVersions() {
            return postgres.keySet().stream().map(Integer::valueOf).sorted().toList();
        }
    }

    public record PostgresPackages(
            List<String> packages,
            @JsonProperty("bin_dir") String binDir,
            @JsonProperty("share_dir") String shareDir) {
    }

    /**
     * @param feature the config section that brings it ({@code endpoints}); null for a component every group gets
     */
    public record Component(String version, List<String> packages, String feature) {
        public Component(String version, List<String> packages) {
            this(version, packages, null);
        }
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
        return new Catalog(sizesDoc.get("default").asText(), Map.copyOf(sizes), java.util.Collections.unmodifiableMap(distributions),
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

    /** The releases tpa has a catalog for, in the catalog's order. */
    public List<String> releases() {
        return List.copyOf(distributions.keySet());
    }

    /** What tpa installs on a release (one of {@link #releases()}; a host's release is checked when it is read). */
    public Distribution distribution(String release) {
        Distribution distribution = distributions.get(release);
        if (distribution == null) {
            throw new IllegalArgumentException("no version catalog for " + release);
        }
        return distribution;
    }

    /**
     * Where a PostgreSQL major lives. Debian lays a major out the same on every release, so the first release
     * that offers it answers.
     */
    public PostgresPackages postgres(int major) {
        return distributions.values().stream().filter(d -> d.offers(major)).findFirst()
                .map(d -> d.postgres().get(Integer.toString(major)))
                .orElseThrow(() -> new UserError("PostgreSQL " + major + " is not in the version catalog: choose one of "
                        + postgresVersions() + " (see `tpa versions`)"));
    }

    /** Every PostgreSQL major some release offers, lowest first. */
    public List<Integer> postgresVersions() {
        return distributions.values().stream().flatMap(d -> d.postgresVersions().stream()).distinct().sorted().toList();
    }

    /** The version of a component (patroni, etcd, ...) that a release installs. */
    public String componentVersion(String release, String component) {
        return distribution(release).components().get(component).version();
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

    /** Every OS package a node of this release with this PostgreSQL major and these extensions needs, in install order. */
    public List<String> packages(String release, int major, List<String> groupExtensions) {
        Distribution distribution = distribution(release);
        List<String> all = new ArrayList<>(distribution.postgres().get(Integer.toString(major)).packages());
        distribution.components().values().stream().filter(c -> c.feature() == null).forEach(c -> all.addAll(c.packages()));
        for (String extension : groupExtensions) {
            Extension e = extensions.get(extension);
            if (e != null && e.package_() != null) {
                all.add(e.package_().replace("{major}", Integer.toString(major)));
            }
        }
        return List.copyOf(new LinkedHashSet<>(all));
    }

    /** The OS packages of one component on a release ({@code supervisor}, {@code pgbackrest}). */
    public List<String> componentPackages(String release, String component) {
        return List.copyOf(distribution(release).components().get(component).packages());
    }

    /** The OS packages a config section brings on a release ({@code endpoints}: pgbouncer and HAProxy). */
    public List<String> featurePackages(String release, String feature) {
        return distribution(release).components().values().stream().filter(c -> feature.equals(c.feature()))
                .flatMap(c -> c.packages().stream()).distinct().toList();
    }
}
