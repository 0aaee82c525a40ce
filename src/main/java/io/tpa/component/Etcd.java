package io.tpa.component;

import io.tpa.host.ServiceDefinition;
import io.tpa.model.Deployment;
import io.tpa.model.DeployedNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * etcd (v3 API), the DCS Patroni keeps its leader lock in. One member on each of the primary
 * cluster's first three nodes (one for groups of fewer than three nodes), started together as a
 * new cluster.
 */
public final class Etcd {
    /** TLS 1.2 suites with forward secrecy and AEAD only (etcd 3.4 has no minimum-version flag). */
    static final String CIPHER_SUITES = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,"
            + "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305";

    private Etcd() {
    }

    public static String serviceName(DeployedNode node) {
        return "etcd-" + node.name();
    }

    /** The OS user etcd runs as: its own when tpa is root and the package created it. */
    public static String user(boolean root, String serviceUser) {
        return root ? "etcd" : serviceUser;
    }

    public static ServiceDefinition service(Deployment deployment, String groupKey, DeployedNode node, String user) {
        NodeLayout layout = NodeLayout.of(deployment.baseDirectory(), node.name());
        String initialCluster = deployment.etcdMembers().stream()
                .map(m -> m.name() + "=" + peerUrl(m))
                .collect(Collectors.joining(","));
        List<String> command = List.of("/usr/bin/etcd",
                "--name", node.name(),
                "--data-dir", layout.etcdDataDirectory(),
                "--listen-client-urls", clientUrl(node),
                "--advertise-client-urls", clientUrl(node),
                "--listen-peer-urls", peerUrl(node),
                "--initial-advertise-peer-urls", peerUrl(node),
                "--initial-cluster", initialCluster,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", "tpa-" + groupKey,
                // Clients and peers authenticate with certificates from the group's CA, and nothing else is accepted.
                "--cert-file", layout.etcdTlsDirectory() + "/server.crt",
                "--key-file", layout.etcdTlsDirectory() + "/server.key",
                "--trusted-ca-file", layout.etcdTlsDirectory() + "/ca.crt",
                "--client-cert-auth",
                "--peer-cert-file", layout.etcdTlsDirectory() + "/server.crt",
                "--peer-key-file", layout.etcdTlsDirectory() + "/server.key",
                "--peer-trusted-ca-file", layout.etcdTlsDirectory() + "/ca.crt",
                "--peer-client-cert-auth",
                "--cipher-suites", CIPHER_SUITES,
                "--logger", "zap",
                "--log-level", "warn");
        return new ServiceDefinition(serviceName(node), command, user, Map.of("ETCD_UNSUPPORTED_ARCH", ""),
                layout.directory(), layout.logDirectory() + "/etcd.log", 100);
    }

    public static String clientUrl(DeployedNode node) {
        return "https://" + node.address() + ":" + Deployment.ETCD_CLIENT_PORT;
    }

    static String peerUrl(DeployedNode node) {
        return "https://" + node.address() + ":" + Deployment.ETCD_PEER_PORT;
    }

    /** Null when the member answers healthy, else why not. */
    public static String whyUnhealthy(DeployedNode member, Http http) {
        try {
            Http.Response response = http.get(clientUrl(member) + "/health", Duration.ofSeconds(2));
            if (response.status() == 200 && response.json().path("health").asText().equals("true")) {
                return null;
            }
            return member.name() + " etcd answers " + response.status() + " " + response.body().strip();
        } catch (ComponentException e) {
            return member.name() + " etcd " + e.getMessage();
        }
    }
}
