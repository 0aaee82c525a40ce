package io.tpa.operation;

import io.tpa.error.UserError;
import io.tpa.host.Host;
import io.tpa.host.Platform;
import io.tpa.host.ServiceManager;
import io.tpa.model.Catalog;
import io.tpa.model.Defaults;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.GroupSpec;
import io.tpa.model.LoadedSpec;
import io.tpa.workspace.GroupDirectory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an operation needs to know about one group: its directory, its config (validated,
 * defaults filled in), the deployment it resolves to, the previous deployment record, the
 * platform and the secrets.
 */
public record GroupContext(
        GroupDirectory directory,
        LoadedSpec loaded,
        GroupSpec spec,
        Catalog catalog,
        Platform platform,
        Optional<Deployment> previous,
        Deployment deployment,
        Map<String, String> secrets) {

    /**
     * Loads and resolves a group.
     *
     * @param reserve true to record newly chosen addresses with the platform (apply); false for a dry run
     */
    public static GroupContext open(Path path, boolean reserve) {
        GroupDirectory directory = new GroupDirectory(path);
        LoadedSpec loaded = directory.load();
        Catalog catalog = Catalog.load();
        GroupSpec spec = Defaults.resolve(loaded.spec(), catalog);
        Platform platform = Platforms.named(spec.platform());
        Optional<Deployment> previous = directory.deployment();
        Deployment deployment = Resolver.resolve(directory, spec, catalog, platform, previous, reserve);
        return new GroupContext(directory, loaded, spec, catalog, platform, previous, deployment, directory.secrets());
    }

    /** The group as last applied, for commands that act on what runs (status, psql, destroy). */
    public static Deployment applied(Path path) {
        GroupDirectory directory = new GroupDirectory(path);
        if (!java.nio.file.Files.isDirectory(directory.path())) {
            throw new UserError(directory.path() + ": no such group directory; create one with `tpa init " + path + "`");
        }
        return directory.deployment().orElseThrow(() -> new UserError(directory.path()
                + ": the group has not been applied yet (no " + GroupDirectory.RECORD + "); run `tpa apply " + path + "` first"));
    }

    public Host host(DeployedNode node) {
        return platform.host(node.address());
    }

    public ServiceManager services(DeployedNode node) {
        return platform.serviceManager(host(node), deployment.key());
    }
}
