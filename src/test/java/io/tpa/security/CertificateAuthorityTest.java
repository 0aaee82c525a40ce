package io.tpa.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a node's certificate names: its IP addresses as addresses, and an IPv4 address as a DNS name too (pgBackRest 2.45). */
class CertificateAuthorityTest {
    @Test
    void aNodeCertificateNamesItsAddressAsAnAddressAndAsADnsName() {
        CertificateAuthority authority = CertificateAuthority.create("sales");
        CertificateAuthority.Issued issued = authority.issue("pg1", List.of("10.0.0.11", "pg1", "::1"), Duration.ofDays(1));
        X509Certificate certificate = CertificateAuthority.parseCertificate(issued.certificatePem());

        assertThat(authority.signed(certificate)).isTrue();
        assertThat(CertificateAuthority.dnsNames(certificate)).containsExactly("10.0.0.11", "pg1");
        assertThat(CertificateAuthority.alternativeNames(certificate)).contains("10.0.0.11", "pg1");
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=pg1");
    }
}
