package io.tpa.component;

import io.tpa.host.ServiceDefinition;
import io.tpa.model.Deployment;
import io.tpa.model.DeployedNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * etcd (v3 API), the DCS Patroni keeps its leader lock in. One member on each of the primary
 * cluster's first three nodes (one for groups of fewer than three nodes), started together as a
 * new cluster.
 */
public final class Etcd {
    /** etcd's output: JSON lines from its zap logger (warnings and worse), in the node's log directory. */
    public static final String LOG_FILE = "etcd.log";

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
        List<String> command = List.of("/usr/bin/etcd",
                "--name", node.name(),
                "--data-dir", layout.etcdDataDirectory(),
                "--listen-client-urls", clientUrl(node),
                "--advertise-client-urls", clientUrl(node),
                "--listen-peer-urls", peerUrl(node),
                "--initial-advertise-peer-urls", peerUrl(node),
                "--initial-cluster", node.etcdJoin().initialCluster(),
                "--initial-cluster-state", node.etcdJoin().state(),
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
                // A member cut off from the others asks them before it starts an election, so rejoining does not
                // depose the leader they elected meanwhile (which would cost Patroni its DCS for a moment).
                "--pre-vote",
                "--logger", "zap",
                "--log-level", "warn");
        return new ServiceDefinition(serviceName(node), command, user, Map.of("ETCD_UNSUPPORTED_ARCH", ""),
                layout.directory(), layout.logDirectory() + "/" + LOG_FILE, 100);
    }

    public static String clientUrl(DeployedNode node) {
        return "https://" + node.address() + ":" + Deployment.ETCD_CLIENT_PORT;
    }

    static String peerUrl(DeployedNode node) {
        return peerUrl(node.address());
    }

    public static String peerUrl(String address) {
        return "https://" + address + ":" + Deployment.ETCD_PEER_PORT;
    }

    /** A member of the running etcd cluster, as it reports itself. */
    public record Member(String id, String name, List<String> peerUrls) {
    }

    /** The members of the etcd cluster, as one member sees them. */
    public static List<Member> members(DeployedNode via, Http http) {
        Http.Response response = http.send("POST", clientUrl(via) + "/v3/cluster/member/list", "{}", Duration.ofSeconds(5), false);
        if (response.status() != 200) {
            throw new ComponentException(via.name() + " etcd: member list answered " + response.status());
        }
        List<Member> members = new java.util.ArrayList<>();
        response.json().path("members").forEach(m -> {
            List<String> peers = new java.util.ArrayList<>();
            m.path("peerURLs").forEach(u -> peers.add(u.asText()));
            members.add(new Member(m.path("ID").asText(), m.path("name").asText(), peers));
        });
        return members;
    }

    /** Announces a new member to the running cluster; the member must start within the election timeout's grace. */
    public static void addMember(DeployedNode via, Http http, DeployedNode member) {
        expect(via, "member add " + member.name(), http.send("POST", clientUrl(via) + "/v3/cluster/member/add",
                io.tpa.model.Json.write(Map.of("peerURLs", List.of(peerUrl(member)))), Duration.ofSeconds(10), false));
    }

    public static void removeMember(DeployedNode via, Http http, Member member) {
        expect(via, "member remove " + member.name(), http.send("POST", clientUrl(via) + "/v3/cluster/member/remove",
                io.tpa.model.Json.write(Map.of("ID", member.id())), Duration.ofSeconds(10), false));
    }

    private static void expect(DeployedNode via, String what, Http.Response response) {
        if (response.status() != 200) {
            throw new ComponentException(via.name() + " etcd refused " + what + ": " + response.status() + " " + response.body().strip());
        }
    }

    /**
     * What a member says of versions ({@code GET /version}): its own server version and the cluster version the
     * members agreed on. A new cluster reports {@code not_decided} until its leader decides, then {@code 3.0.0}
     * while any member's version is still unknown to the leader, and only then the version its servers share.
     */
    public record Versions(String server, String cluster) {
        /**
         * True once the cluster version is decided: above 3.0, etcd's minimum, which a new cluster reports as a
         * placeholder until its leader knows every member's version (tpa's etcd is 3.4 or later).
         */
        public boolean clusterDecided() {
            String[] parts = cluster.split("\\.");
            try {
                return parts.length >= 2 && (Integer.parseInt(parts[0]) > 3 || Integer.parseInt(parts[0]) == 3 && Integer.parseInt(parts[1]) > 0);
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    /** A member's versions, read through its client URL. */
    public static Versions versions(String clientUrl, Http http) {
        Http.Response response = http.get(clientUrl + "/version", Duration.ofSeconds(2));
        if (response.status() != 200) {
            throw new ComponentException(clientUrl + "/version answered " + response.status());
        }
        return new Versions(response.json().path("etcdserver").asText(""), response.json().path("etcdcluster").asText(""));
    }

    /**
     * Null when the members, by name and client URL, report a decided cluster version; else why not. A new cluster
     * reports {@code not_decided}, then {@code 3.0.0} (etcd's minimum, a placeholder) while its leader does not know
     * every member's version yet, and only then the version its servers share (3.4 or later for tpa's etcd). Patroni
     * reads the cluster version once and picks its API prefix from it: one that reads {@code 3.0.0} uses
     * {@code /v3alpha}, which etcd 3.4 and later do not serve, and waits on etcd for good. Members that do not answer
     * are left out while a majority answers (Patroni does not reach them either).
     */
    public static String whyClusterVersionUndecided(Map<String, String> clientUrls, Http http) {
        String unreachable = null;
        int answered = 0;
        for (Map.Entry<String, String> member : clientUrls.entrySet()) {
            Versions versions;
            try {
                versions = versions(member.getValue(), http);
            } catch (ComponentException e) {
                unreachable = member.getKey() + " etcd " + e.getMessage();
                continue;
            }
            answered++;
            if (!versions.clusterDecided()) {
                return member.getKey() + " etcd " + versions.server() + " reports cluster version " + versions.cluster()
                        + ": the new cluster has not decided its version yet";
            }
        }
        return answered * 2 > clientUrls.size() ? null : unreachable;
    }

    /** The client URL of each member, by node name. */
    public static Map<String, String> clientUrls(List<DeployedNode> members) {
        Map<String, String> urls = new java.util.LinkedHashMap<>();
        members.forEach(member -> urls.put(member.name(), clientUrl(member)));
        return urls;
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
