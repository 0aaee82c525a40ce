package io.tpa.model;

import io.tpa.error.UserError;
import java.util.List;

/**
 * Fills in every default of a configuration, so the rest of tpa never meets a missing value.
 * The result is what {@code tpa show} prints. The defaults match the {@code default}s of the schema.
 */
public final class Defaults {
    public static final String PLATFORM = "local";
    /** No compliance policy: tpa's secure defaults, without the extra logging and pgAudit of {@code compliance: cis}. */
    public static final String COMPLIANCE = "none";
    /** Asynchronous replication: Patroni's synchronous_mode is off unless {@code synchronous: true}. */
    public static final boolean SYNCHRONOUS = false;
    /** Patroni's standard timing: a dead primary is replaced within about 15 s, and a busy one is not mistaken for dead. */
    public static final String FAILOVER = "standard";

    private Defaults() {
    }

    public static GroupSpec resolve(GroupSpec spec, Catalog catalog) {
        SizeSpec defaultSize = size(spec.defaults() == null ? null : spec.defaults().size(), catalog);
        String platform = spec.platform() == null ? PLATFORM : spec.platform();
        // Logins matter only where tpa logs in: on the ssh platform every node gets its own, complete.
        SshSpec ssh = platform.equals("ssh") ? SshSpec.resolve(null, spec.ssh()) : null;
        List<ClusterSpec> clusters = spec.clusters().stream()
                .map(cluster -> resolve(cluster, defaultSize, catalog, ssh))
                .toList();
        return new GroupSpec(spec.name(),
                platform,
                resolve(spec.postgres()),
                new DefaultsSpec(defaultSize),
                clusters,
                spec.access() == null ? AccessSpec.PRIVATE : new AccessSpec(spec.access().networks(), spec.access().open()),
                spec.compliance() == null ? COMPLIANCE : spec.compliance(),
                spec.synchronous() == null ? SYNCHRONOUS : spec.synchronous(),
                ssh,
                spec.failover() == null ? FAILOVER : spec.failover(),
                spec.endpoints() == null ? null : spec.endpoints().resolved(),
                spec.backup() == null ? null : spec.backup().resolved(ssh),
                spec.monitoring() == null ? null : spec.monitoring().resolved());
    }

    /** The PostgreSQL major stays open when the config names none: the hosts' release decides it (Resolver). */
    private static PostgresSpec resolve(PostgresSpec postgres) {
        return postgres == null ? new PostgresSpec(null, List.of(), null, LoggingSpec.DEFAULT)
                : new PostgresSpec(postgres.version(), postgres.extensions(), postgres.parameters(), LoggingSpec.resolve(postgres.logging()));
    }

    private static ClusterSpec resolve(ClusterSpec cluster, SizeSpec defaultSize, Catalog catalog, SshSpec ssh) {
        List<NodeSpec> nodes = cluster.nodes().stream()
                .map(node -> new NodeSpec(node.name(), node.size() == null ? defaultSize : size(node.size(), catalog),
                        node.promotable(), node.host(), ssh == null ? null : SshSpec.resolve(node.ssh(), ssh)))
                .toList();
        return new ClusterSpec(cluster.name(), cluster.location() == null ? cluster.name() : cluster.location(), nodes);
    }

    /**
     * A size with all its figures: a catalog size by its name (the catalog default when there is none),
     * or explicit figures, which carry no name.
     */
    static SizeSpec size(SizeSpec size, Catalog catalog) {
        if (size == null) {
            return size(SizeSpec.named(catalog.defaultSize()), catalog);
        }
        if (size.cpus() != null) {
            return new SizeSpec(null, size.cpus(), size.memoryGb(), size.diskGb());
        }
        SizeSpec named = catalog.sizes().get(size.name());
        if (named == null) {
            throw new UserError("unknown size '" + size.name() + "'; use one of the catalog sizes: "
                    + String.join(", ", ConfigReference.catalogSizes(catalog).stream().map(SizeSpec::name).toList()));
        }
        return named;
    }
}
