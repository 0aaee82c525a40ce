package io.tpa.operation.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.security.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a certificate fails the check: soon to expire, expired, or signed by another CA. */
class CertificatesCheckTest {
    private static final CertificateAuthority AUTHORITY = CertificateAuthority.create("test");

    private static X509Certificate issued(CertificateAuthority authority, Duration validity) {
        return CertificateAuthority.parseCertificate(authority.issue("pg1", List.of("127.20.0.1"), validity).certificatePem());
    }

    @Test
    void aCertificateValidBeyondThirtyDaysFromTheGroupsCaPasses() {
        assertThat(CertificatesCheck.problem(issued(AUTHORITY, CertificateAuthority.NODE_VALIDITY), AUTHORITY, Instant.now())).isNull();
    }

    @Test
    void oneThatExpiresWithinThirtyDaysFailsWithItsDate() {
        X509Certificate soon = issued(AUTHORITY, Duration.ofDays(10));
        assertThat(CertificatesCheck.problem(soon, AUTHORITY, Instant.now()))
                .isEqualTo("expires " + soon.getNotAfter().toInstant().toString().substring(0, 10) + ", within 30 days");
        assertThat(CertificatesCheck.problem(soon, AUTHORITY, Instant.now().plus(Duration.ofDays(11)))).startsWith("expired ");
    }

    @Test
    void oneFromAnotherCaFails() {
        X509Certificate foreign = issued(CertificateAuthority.create("other"), CertificateAuthority.NODE_VALIDITY);
        assertThat(CertificatesCheck.problem(foreign, AUTHORITY, Instant.now())).isEqualTo("is not signed by the group's CA");
    }
}
