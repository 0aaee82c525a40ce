package io.tpa.cli;

import io.tpa.model.Catalog;
import io.tpa.model.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "versions", mixinStandardHelpOptions = true,
        description = "Print the version catalog: per Debian release, the PostgreSQL majors (the default marked) and the version "
                + "of every component tpa installs, then the packages. Each host's release is read from its /etc/os-release.")
final class VersionsCommand implements Runnable {
    @Mixin
    JsonOption output;

    @Override
    public void run() {
        Catalog catalog = Catalog.load();
        if (output.json) {
            System.out.print(Json.write(Map.of("distributions", catalog.distributions())));
            return;
        }
        List<String> releases = catalog.releases();
        Set<String> components = new LinkedHashSet<>();
        releases.forEach(release -> components.addAll(catalog.distribution(release).components().keySet()));
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of(""));
        header.addAll(releases);
        rows.add(header);
        List<String> postgres = new ArrayList<>(List.of("PostgreSQL"));
        releases.forEach(release -> {
            Catalog.Distribution distribution = catalog.distribution(release);
            postgres.add(distribution.postgresVersions().stream()
                    .map(major -> major == distribution.defaultPostgres() ? major + " (default)" : Integer.toString(major))
                    .collect(Collectors.joining(", ")));
        });
        rows.add(postgres);
        for (String component : components) {
            List<String> row = new ArrayList<>(List.of(component));
            releases.forEach(release -> row.add(catalog.distribution(release).components().containsKey(component)
                    ? catalog.componentVersion(release, component) : "-"));
            rows.add(row);
        }
        int[] widths = new int[header.size()];
        rows.forEach(row -> {
            for (int column = 0; column < row.size(); column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        });
        rows.forEach(row -> {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < row.size(); column++) {
                line.append(String.format("%-" + (widths[column] + 3) + "s", row.get(column)));
            }
            System.out.println(line.toString().stripTrailing());
        });
        System.out.println();
        catalog.distributions().forEach((name, distribution) -> {
            System.out.println(name + " packages:");
            distribution.postgres().forEach((major, packages) -> System.out.printf("  PostgreSQL %-4s %s%n", major,
                    String.join(" ", packages.packages())));
            distribution.components().forEach((component, c) -> System.out.printf("  %-15s %s%n", component,
                    String.join(" ", c.packages())));
        });
    }
}
