package io.tpa.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PackageVersionsTest {
    @Test
    void policyOutputGivesInstalledAndCandidatePerPackage() {
        String output = """
                patroni:
                  Installed: 3.0.2-1
                  Candidate: 3.0.2-1+tpa1
                  Version table:
                     3.0.2-1+tpa1 500
                        500 file:/srv/repo ./ Packages
                 *** 3.0.2-1 100
                        100 /var/lib/dpkg/status
                postgresql-15:
                  Installed: 15.18-0+deb12u1
                  Candidate: 15.18-0+deb12u1
                  Version table:
                 *** 15.18-0+deb12u1 500
                pgbackrest:
                  Installed: (none)
                  Candidate: 2.44-1
                """;
        var versions = PackageVersions.parsePolicy(output);
        assertThat(versions.get("patroni")).isEqualTo(new PackageVersions.Versions("3.0.2-1", "3.0.2-1+tpa1"));
        assertThat(versions.get("patroni").upgradable()).isTrue();
        assertThat(versions.get("postgresql-15").upgradable()).isFalse();
        assertThat(versions.get("pgbackrest")).isEqualTo(new PackageVersions.Versions("", "2.44-1"));
        assertThat(versions.get("pgbackrest").upgradable()).as("not installed: an install, not an upgrade").isFalse();
    }
}
