package io.tpa.operation.verify;

import io.tpa.component.NodeLayout;
import io.tpa.model.DeployedNode;
import io.tpa.operation.audit.AuditReport.NodeResult;
import io.tpa.operation.audit.Result;
import io.tpa.operation.verify.TestReport.CheckReport;
import io.tpa.security.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every certificate the group presents is valid now and for more than {@link #MARGIN}: the group's CA, each node's
 * certificate (PostgreSQL, Patroni, pgbouncer) and each etcd member's, each signed by the group's CA. Read from the
 * files on each node's host, so it holds for what the services load.
 */
final class CertificatesCheck implements GroupCheck {
    static final Duration MARGIN = Duration.ofDays(30);

    @Override
    public String id() {
        return "certificates";
    }

    @Override
    public String title() {
        return "Every certificate is signed by the group's CA and valid for more than 30 days";
    }

    @Override
    public CheckReport run(TestedGroup group) {
        Instant now = Instant.now();
        CertificateAuthority authority = group.access().directory().certificateAuthority(group.access().secrets(), group.deployment().group());
        List<NodeResult> nodes = new ArrayList<>();
        String caProblem = problem(authority.certificate(), null, now);
        nodes.add(new NodeResult(group.deployment().group() + " CA", caProblem == null ? Result.PASS : Result.FAIL,
                caProblem == null ? until(authority.certificate()) : "the group's CA " + caProblem));
        Map<DeployedNode, NodeResult> perNode = group.eachNode(group.deployment().nodes(), node -> {
            NodeLayout layout = NodeLayout.of(group.deployment().baseDirectory(), node.name());
            List<String> files = new ArrayList<>(List.of(layout.tlsDirectory() + "/server.crt"));
            if (node.etcdMember()) {
                files.add(layout.etcdTlsDirectory() + "/server.crt");
            }
            List<String> wrong = new ArrayList<>();
            Instant earliest = null;
            for (String file : files) {
                Optional<String> pem = group.host(node).readFile(file);
                if (pem.isEmpty()) {
                    wrong.add("no certificate at " + file);
                    continue;
                }
                X509Certificate certificate = CertificateAuthority.parseCertificate(pem.get());
                String problem = problem(certificate, authority, now);
                if (problem != null) {
                    wrong.add(file + " " + problem);
                }
                Instant expiry = certificate.getNotAfter().toInstant();
                earliest = earliest == null || expiry.isBefore(earliest) ? expiry : earliest;
            }
            return wrong.isEmpty() ? new NodeResult(node.name(), Result.PASS, "valid until " + day(earliest))
                    : new NodeResult(node.name(), Result.FAIL, String.join("; ", wrong));
        });
        nodes.addAll(perNode.values());
        String detail = nodes.stream().allMatch(n -> n.result() == Result.PASS)
                ? "the CA and every node's certificates are valid beyond " + day(now.plus(MARGIN)) + "; the first expires "
                + nodes.stream().map(n -> n.evidence().replace("valid until ", "")).min(String::compareTo).orElse("?")
                : nodes.stream().filter(n -> n.result() == Result.FAIL).count() + " certificate holder(s) need attention";
        return report(nodes, detail, "renew the nodes' certificates with `tpa rotate-certs DIR`; a CA that expires needs a new one (docs/security.md)");
    }

    /** Null when the certificate is valid now and beyond the margin (and signed by the authority, when one is given). */
    static String problem(X509Certificate certificate, CertificateAuthority authority, Instant now) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (notBefore.isAfter(now)) {
            return "is not valid before " + day(notBefore);
        }
        if (notAfter.isBefore(now.plus(MARGIN))) {
            return (notAfter.isBefore(now) ? "expired " : "expires ") + day(notAfter) + ", within " + MARGIN.toDays() + " days";
        }
        if (authority != null && !authority.signed(certificate)) {
            return "is not signed by the group's CA";
        }
        return null;
    }

    private static String until(X509Certificate certificate) {
        return "valid until " + day(certificate.getNotAfter().toInstant());
    }

    private static String day(Instant instant) {
        return instant == null ? "?" : instant.toString().substring(0, 10);
    }
}
