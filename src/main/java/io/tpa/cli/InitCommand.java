package io.tpa.cli;

import io.tpa.operation.init.Init;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "init", mixinStandardHelpOptions = true, description = "Create a group directory with a commented starting config and a git history.")
final class InitCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "DIR", description = "The directory to create (or an empty one).")
    Path directory;

    @Option(names = "--name", description = "Group name (default: from the directory name).")
    String name;

    @Option(names = "--replicas", defaultValue = "2", description = "Replicas beside the primary (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--platform", defaultValue = "local", description = "Where nodes run (default: ${DEFAULT-VALUE}).")
    String platform;

    @Option(names = "--hosts", split = ",", paramLabel = "ADDRESS", description = "With --platform ssh: the servers, one node each "
            + "(addresses or DNS names, comma-separated).")
    java.util.List<String> hosts = new java.util.ArrayList<>();

    @Option(names = "--format", defaultValue = "yaml", description = "yaml or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "Sign node certificates with this CA (PEM) instead of a CA of the group's own.")
    Path caCertificate;

    @Option(names = "--ca-key", paramLabel = "FILE", description = "The private key of --ca-cert (PKCS#8 PEM); kept encrypted in the group's secrets.")
    Path caKey;

    @Override
    public void run() {
        Init.Format chosen = switch (format) {
            case "yaml", "yml" -> Init.Format.YAML;
            case "json" -> Init.Format.JSON;
            default -> throw new io.tpa.error.UserError("--format " + format + ": choose yaml or json");
        };
        Init.Created created = Init.run(directory, name, replicas, platform, chosen, caCertificate, caKey, hosts);
        System.out.println("Created group " + created.group() + " (" + created.nodes() + (created.nodes() == 1 ? " node" : " nodes") + ") in " + created.config());
        System.out.println("Next: tpa plan " + directory + "   then   tpa apply " + directory);
    }
}
