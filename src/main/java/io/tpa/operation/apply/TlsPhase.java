package io.tpa.operation.apply;

import io.tpa.component.Etcd;
import io.tpa.component.NodeLayout;
import io.tpa.component.Patroni;
import io.tpa.host.FileOwner;
import io.tpa.host.Host;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.wait.Wait;
import io.tpa.security.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every node holds a current certificate from the group's CA for its name and address (PostgreSQL,
 * Patroni and etcd present it). A certificate is issued again when it is missing, from another
 * CA, for another address, or expires within 30 days; running services pick it up by reload.
 */
final class TlsPhase implements Phase {
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final boolean renewAll;

    TlsPhase(boolean renewAll) {
        this.renewAll = renewAll;
    }

    @Override
    public String title() {
        return "certificates";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        CertificateAuthority authority = state.context().authority();
        return ApplyState.each(state.context().deployment().nodes(), node -> {
            Host host = state.context().host(node);
            NodeLayout layout = NodeLayout.of(state.context().deployment().baseDirectory(), node.name());
            String reason = renewAll ? "rotate" : whyIssue(host, layout, node, authority,
                    io.tpa.component.BackupServer.used(state.context().deployment()));
            if (reason == null) {
                return null;
            }
            boolean reload = state.isRunning(node, Patroni.serviceName(node));
            // pgBackRest's TLS server reads its certificate when it starts: it starts again with the new one.
            boolean pgBackRest = state.isRunning(node, io.tpa.component.BackupServer.nodeServiceName(node));
            return new Action(title(), node.name(), "issue certificate (" + reason + ")" + (reload ? " and reload" : ""), false, () -> {
                CertificateAuthority.Issued issued = authority.issue(node.name(), List.of(node.address(), node.name(), "localhost"),
                        CertificateAuthority.NODE_VALIDITY);
                write(host, layout.tlsDirectory(), host.serviceUser(), authority, issued);
                if (node.etcdMember()) {
                    write(host, layout.etcdTlsDirectory(), Etcd.user(host.isRoot(), host.serviceUser()), authority, issued);
                }
                if (pgBackRest) {
                    state.services(node).stop(io.tpa.component.BackupServer.nodeServiceName(node));
                    state.services(node).start(io.tpa.component.BackupServer.nodeServiceName(node));
                }
                if (reload) {
                    state.patroni(node).reload();
                    // Patroni swaps its REST API certificate on its next cycle: done when it presents the new one.
                    java.security.cert.X509Certificate expected = CertificateAuthority.parseCertificate(issued.certificatePem());
                    Wait.until("for " + node.name() + "'s Patroni to present its new certificate", Duration.ofSeconds(30),
                            () -> expected.equals(state.context().http().presentedCertificate(node.address(), Deployment.PATRONI_PORT)));
                }
            });
        });
    }

    private static void write(Host host, String directory, String user, CertificateAuthority authority, CertificateAuthority.Issued issued) {
        host.writeFile(directory + "/ca.crt", authority.certificatePem(), FileOwner.readable(user));
        host.writeFile(directory + "/server.key", issued.privateKeyPem(), FileOwner.privateTo(user));
        host.writeFile(directory + "/server.crt", issued.certificatePem(), FileOwner.readable(user));
    }

    /** Null when the node's certificate is current, else why it must be issued again. */
    static String whyIssue(Host host, NodeLayout layout, DeployedNode node, CertificateAuthority authority, boolean pgBackRest) {
        String why = whyIssue(host, layout.tlsDirectory(), node.address(), authority, pgBackRest);
        if (why == null && node.etcdMember() && !host.readFile(layout.etcdTlsDirectory() + "/server.crt")
                .equals(host.readFile(layout.tlsDirectory() + "/server.crt"))) {
            return "etcd copy differs";
        }
        return why;
    }

    /**
     * Null when the certificate in this directory (server.crt, ca.crt) is current for this address, else why it must be issued
     * again.
     *
     * @param pgBackRest true when pgBackRest's TLS server presents it too, whose client before 2.5x needs the address among the DNS names
     */
    static String whyIssue(Host host, String tlsDirectory, String address, CertificateAuthority authority, boolean pgBackRest) {
        Optional<String> pem = host.readFile(tlsDirectory + "/server.crt");
        if (pem.isEmpty()) {
            return "new";
        }
        X509Certificate certificate;
        try {
            certificate = CertificateAuthority.parseCertificate(pem.get());
        } catch (IllegalArgumentException e) {
            return "unreadable";
        }
        if (!authority.signed(certificate) || !host.readFile(tlsDirectory + "/ca.crt").orElse("").equals(authority.certificatePem())) {
            return "another CA";
        }
        if (!CertificateAuthority.alternativeNames(certificate).contains(address)) {
            return "address changed";
        }
        if (pgBackRest && !address.contains(":") && !CertificateAuthority.dnsNames(certificate).contains(address)) {
            return "its address as a name too, for pgBackRest";
        }
        if (certificate.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
            return "expires " + certificate.getNotAfter().toInstant().toString().substring(0, 10);
        }
        return null;
    }
}
