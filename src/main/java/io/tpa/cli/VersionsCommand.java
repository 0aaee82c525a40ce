package io.tpa.cli;

import io.tpa.model.Catalog;
import io.tpa.model.Json;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "versions", mixinStandardHelpOptions = true, description = "Print the version catalog: what tpa installs per distribution and PostgreSQL version.")
final class VersionsCommand implements Runnable {
    @Mixin
    JsonOption output;

    @Override
    public void run() {
        Catalog catalog = Catalog.load();
        if (output.json) {
            System.out.print(Json.write(Map.of("default_postgres_version", catalog.defaultPostgresVersion(),
                    "distributions", catalog.distributions())));
            return;
        }
        catalog.distributions().forEach((name, distribution) -> {
            System.out.println(name + ":");
            distribution.postgres().forEach((major, packages) -> System.out.printf("  PostgreSQL %-4s %s%s%n", major,
                    String.join(" ", packages.packages()), major.equals(Integer.toString(catalog.defaultPostgresVersion())) ? "   (default)" : ""));
            distribution.components().forEach((component, c) -> System.out.printf("  %-15s %s   %s%n", component, c.version(),
                    String.join(" ", c.packages())));
        });
    }
}
