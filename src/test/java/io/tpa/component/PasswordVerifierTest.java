package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordVerifierTest {
    /** What PostgreSQL 15 stored for {@code CREATE ROLE vec PASSWORD 'Abc23xyzPQRstuvw'}. */
    private static final String FROM_POSTGRES = "SCRAM-SHA-256$4096:noacTopaO3dvxOa7W0p0Kg==$FrobHp6HTLLtyBKw2notKoWhHpKBPJq9OSzYJG3FTDk="
            + ":Fj4LdGeM0gTKHHoozjtCFY/8DjZJ58FH09r+cM5+yXU=";

    @Test
    void computesWhatPostgresStores() {
        assertThat(PasswordVerifier.scramSha256("Abc23xyzPQRstuvw", Base64.getDecoder().decode("noacTopaO3dvxOa7W0p0Kg=="), 4096))
                .isEqualTo(FROM_POSTGRES);
    }

    @Test
    void recognisesTheRightPasswordOnly() {
        assertThat(PasswordVerifier.matches(FROM_POSTGRES, "vec", "Abc23xyzPQRstuvw")).isTrue();
        assertThat(PasswordVerifier.matches(FROM_POSTGRES, "vec", "Abc23xyzPQRstuvx")).isFalse();
        assertThat(PasswordVerifier.matches("", "vec", "Abc23xyzPQRstuvw")).as("no password set").isFalse();
        assertThat(PasswordVerifier.matches(FROM_POSTGRES, "vec", null)).as("no password kept").isFalse();
    }

    @Test
    void recognisesTheOlderMd5Form() {
        // PostgreSQL 15, SET password_encryption = md5; CREATE ROLE vecmd5 PASSWORD 'secret'
        assertThat(PasswordVerifier.matches("md5d5a5880b7b496542b3d8bcb8111e951d", "vecmd5", "secret")).isTrue();
        assertThat(PasswordVerifier.matches("md5d5a5880b7b496542b3d8bcb8111e951d", "vec", "secret")).isFalse();
    }

    @Test
    void aNewVerifierHasAFreshSaltAndStillMatches() {
        String first = PasswordVerifier.scramSha256("Abc23xyzPQRstuvw");
        String second = PasswordVerifier.scramSha256("Abc23xyzPQRstuvw");

        assertThat(first).startsWith("SCRAM-SHA-256$4096:").doesNotContain("Abc23xyzPQRstuvw").isNotEqualTo(second);
        assertThat(PasswordVerifier.matches(first, "vec", "Abc23xyzPQRstuvw")).isTrue();
    }

    @Test
    void refusesPasswordsThatSaslPrepCouldChange() {
        assertThatThrownBy(() -> PasswordVerifier.scramSha256("pässword")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordVerifier.scramSha256("with space")).isInstanceOf(IllegalArgumentException.class);
    }
}
