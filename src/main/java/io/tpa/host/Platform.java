package io.tpa.host;

import java.util.List;
import java.util.Map;

/** Where a group's nodes live, and how tpa reaches them. */
public interface Platform {
    String name();

    /**
     * Gives every node an address, keeping the ones it already has.
     *
     * @param groupKey identifies the group on this platform
     * @param nodes    node names in config order
     * @param current  addresses already assigned (from the previous deployment record)
     * @param reserve  false for a dry run: choose the same addresses, but record nothing
     */
    Map<String, String> assignAddresses(String groupKey, List<String> nodes, Map<String, String> current, boolean reserve);

    /** Gives up every address of the group. */
    void releaseAddresses(String groupKey);

    /** The directory under which the group keeps data, configuration and logs. */
    String baseDirectory(String groupKey);

    /**
     * The addresses clients on the nodes' network connect from, beyond the nodes themselves. On
     * the local platform every connection over loopback comes from 127.0.0.1.
     */
    List<String> clientAddresses();

    /** The host a node at this address runs on. */
    Host host(String address);

    /** The service manager of a group on a host. */
    ServiceManager serviceManager(Host host, String groupKey);
}
