package io.tpa.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which version of a package a Debian host has installed, and which its repositories offer (apt's candidate). */
public final class PackageVersions {
    private PackageVersions() {
    }

    /** A package's installed version (empty when it is not installed) and apt's candidate (empty when none is offered). */
    public record Versions(String installed, String candidate) {
        /** True when apt offers a version other than the one installed. */
        public boolean upgradable() {
            return !installed.isEmpty() && !candidate.isEmpty() && !candidate.equals(installed);
        }
    }

    /** The versions of these packages on the host, by package, in the order given. */
    public static Map<String, Versions> read(Host host, List<String> packages) {
        List<String> argv = new ArrayList<>(List.of("apt-cache", "policy"));
        argv.addAll(packages);
        CommandResult result = host.run(new Command(argv, null, Map.of("LC_ALL", "C"), null, Duration.ofSeconds(60)));
        if (!result.ok()) {
            throw new HostException(host.name() + ": apt-cache policy failed: " + result.lastErrorLine());
        }
        Map<String, Versions> parsed = parsePolicy(result.stdout());
        Map<String, Versions> versions = new LinkedHashMap<>();
        packages.forEach(name -> versions.put(name, parsed.getOrDefault(name, new Versions("", ""))));
        return versions;
    }

    /** Parses {@code apt-cache policy} output (C locale): a block per package with its Installed and Candidate lines. */
    static Map<String, Versions> parsePolicy(String output) {
        Map<String, Versions> versions = new LinkedHashMap<>();
        String name = null;
        String installed = "";
        String candidate = "";
        for (String line : output.lines().toList()) {
            if (!line.startsWith(" ") && line.endsWith(":")) {
                if (name != null) {
                    versions.put(name, new Versions(installed, candidate));
                }
                name = line.substring(0, line.length() - 1);
                installed = "";
                candidate = "";
            } else if (line.strip().startsWith("Installed:")) {
                installed = none(line.strip().substring("Installed:".length()).strip());
            } else if (line.strip().startsWith("Candidate:")) {
                candidate = none(line.strip().substring("Candidate:".length()).strip());
            }
        }
        if (name != null) {
            versions.put(name, new Versions(installed, candidate));
        }
        return versions;
    }

    private static String none(String version) {
        return version.equals("(none)") ? "" : version;
    }
}
