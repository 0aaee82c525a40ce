package io.tpa.operation.apply;

import io.tpa.component.HostPreparation;
import io.tpa.host.Host;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Servers of the ssh platform are ready for PostgreSQL: kernel settings, a firewall over the
 * group's ports, and checks of the clock and the locale ({@link HostPreparation}). What a server
 * does not permit is said in a note, not forced. The local platform's machine is left alone.
 */
final class HostPreparationPhase implements Phase {
    @Override
    public String title() {
        return "host preparation";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        Deployment deployment = state.context().deployment();
        if (!deployment.platform().equals("ssh")) {
            return List.of();
        }
        List<String> admins = state.context().platform().clientAddresses();
        return ApplyState.each(List.copyOf(state.hosts().entrySet()), entry -> hostActions(state, entry.getKey(), entry.getValue(), admins))
                .stream().flatMap(List::stream).toList();
    }

    private List<Action> hostActions(ApplyState state, Host host, List<DeployedNode> nodes, List<String> admins) {
        Deployment deployment = state.context().deployment();
        List<Action> actions = new ArrayList<>();
        String where = nodes.stream().map(DeployedNode::name).collect(Collectors.joining(",")) + " (" + host.name() + ")";
        Map<String, String> wanted = HostPreparation.kernelSettings(nodes);
        HostPreparation.Facts facts = HostPreparation.facts(host, deployment.key(), List.copyOf(wanted.keySet()));

        Map<String, String> kernelChanges = new TreeMap<>();
        wanted.forEach((key, value) -> {
            if (!value.equals(facts.kernel().get(key))) {
                kernelChanges.put(key, value);
            }
        });
        Map<String, String> settable = HostPreparation.settable(wanted, facts.kernelWritable());
        Map<String, String> toSet = HostPreparation.settable(kernelChanges, facts.kernelWritable());
        Map<String, String> refused = new TreeMap<>(kernelChanges);
        refused.keySet().removeAll(toSet.keySet());
        if (!toSet.isEmpty()) {
            actions.add(new Action(title(), host.name(), "set kernel settings " + describe(toSet), false,
                    () -> HostPreparation.applyKernelSettings(host, settable)));
        }
        if (!refused.isEmpty()) {
            state.note(where + ": kernel settings left as they are, since /proc/sys is read-only there for them (a container "
                    + "shares its host's kernel); PostgreSQL wants " + describe(refused));
        }

        String rules = HostPreparation.firewallRules(deployment, nodes, admins, state.context().spec().endpoints() == null ? List.of()
                : List.copyOf(io.tpa.model.EndpointsSpec.PORTS.values()));
        if (!facts.nftables()) {
            state.note(where + ": the group's ports are not filtered, since nftables is missing there; install nftables and apply again");
        } else if (!rules.equals(facts.firewallFile()) || !facts.firewallLoaded()) {
            actions.add(new Action(title(), host.name(), "firewall: only the group's nodes and tpa reach its ports", false,
                    () -> HostPreparation.applyFirewall(host, deployment.key(), rules)));
        }

        switch (facts.clockSynchronized()) {
            case "yes" -> { }
            case "no" -> state.note(where + ": the clock is not synchronized; enable systemd-timesyncd or chrony (logs, certificates"
                    + " and Patroni's leader lock rely on time)");
            default -> state.note(where + ": cannot tell whether the clock is synchronized (no timedatectl under systemd, no chronyc)");
        }
        if (facts.clockSkewSeconds() > HostPreparation.MAX_CLOCK_SKEW_SECONDS) {
            state.note(where + String.format(": the clock is %.1f s off this machine's; synchronize both with NTP", facts.clockSkewSeconds()));
        }
        if (!facts.utf8Locale()) {
            state.note(where + ": no C.UTF-8 locale; install the locales package");
        }
        return actions;
    }

    private static String describe(Map<String, String> settings) {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
