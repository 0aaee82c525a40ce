package io.tpa.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OsReleaseTest {
    @Test
    void debianReleasesAreNamedByIdAndVersion() {
        OsRelease trixie = OsRelease.parse("""
                PRETTY_NAME="Debian GNU/Linux 13 (trixie)"
                NAME="Debian GNU/Linux"
                VERSION_ID="13"
                VERSION="13 (trixie)"
                VERSION_CODENAME=trixie
                ID=debian
                """);

        assertThat(trixie.name()).isEqualTo("debian-13");
        assertThat(trixie.prettyName()).isEqualTo("Debian GNU/Linux 13 (trixie)");
    }

    @Test
    void otherDistributionsAndReleasesWithoutAVersionKeepTheirOwnNames() {
        assertThat(OsRelease.parse("ID=ubuntu\nVERSION_ID='24.04'\n").name()).isEqualTo("ubuntu-24.04");
        assertThat(OsRelease.parse("# testing\nID=debian\nVERSION_CODENAME=forky\n").name()).isEqualTo("debian-forky");
    }

    @Test
    void thisMachineHasARelease() {
        assertThat(OsRelease.read(new LocalHost()).id()).isNotBlank();
    }
}
