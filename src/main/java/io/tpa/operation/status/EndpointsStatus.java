package io.tpa.operation.status;

import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.EndpointsSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;

/**
 * The group's endpoints as `tpa status` shows them: the port of each, and on every node which of them accept
 * connections (a TCP connect from tpa; what they route to follows Patroni, shown above them).
 *
 * @param ports by endpoint: rw, ro, rw_pooled, ro_pooled, pgbouncer
 */
public record EndpointsStatus(Map<String, Integer> ports, List<NodeEndpoints> nodes) {
    private static final int CONNECT_TIMEOUT_MS = 1000;

    /** @param down the ports of the node that accept no connection */
    public record NodeEndpoints(String name, String host, List<Integer> down) {
    }

    /** Every node's endpoints, each node tried at once. */
    static EndpointsStatus read(Deployment deployment) {
        Map<String, Integer> ports = EndpointsSpec.PORTS;
        List<NodeEndpoints> nodes = deployment.nodes().parallelStream().map((DeployedNode node) ->
                new NodeEndpoints(node.name(), node.address(), ports.values().stream().filter(port -> !accepts(node.address(), port)).toList()))
                .toList();
        return new EndpointsStatus(ports, nodes);
    }

    private static boolean accepts(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
