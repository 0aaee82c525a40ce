package io.tpa.operation.apply;

import io.tpa.component.ComponentException;
import io.tpa.component.Etcd;
import io.tpa.component.NodeLayout;
import io.tpa.host.Host;
import io.tpa.host.ServiceDefinition;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The group's etcd members run with their current definition, the etcd cluster's membership is
 * the deployment's, and every member is healthy. Membership changes one member at a time and adds
 * before it removes, so the cluster never loses its quorum.
 */
final class EtcdPhase implements Phase {
    static final Duration READY = Duration.ofSeconds(60);

    @Override
    public String title() {
        return "etcd";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        Deployment deployment = state.context().deployment();
        Optional<LiveCluster> live = live(state);
        List<Action> actions = new ArrayList<>();
        if (live.isEmpty()) {
            List<DeployedNode> stale = ApplyState.each(deployment.etcdMembers(), member -> stale(state, member) ? member : null);
            if (!stale.isEmpty()) {
                String targets = stale.stream().map(DeployedNode::name).collect(Collectors.joining(","));
                actions.add(new Action(title(), targets, "start etcd and wait until the members are healthy", false, () -> {
                    stale.forEach(member -> state.services(member).apply(List.of(definition(state, member))));
                    waitHealthy(state, deployment.etcdMembers());
                    // Healthy is not enough for Patroni: a new cluster decides its version a few seconds later.
                    state.etcdReadiness().awaitClusterVersion();
                }));
            }
            return actions;
        }
        // Members are known by their peer URL: one added but not started yet has no name.
        List<String> livePeers = live.get().members().stream().flatMap(m -> m.peerUrls().stream()).toList();
        List<String> wantedPeers = deployment.etcdMembers().stream().map(m -> Etcd.peerUrl(m.address())).toList();
        List<DeployedNode> joining = deployment.etcdMembers().stream().filter(m -> !livePeers.contains(Etcd.peerUrl(m.address()))).toList();
        List<Etcd.Member> leaving = live.get().members().stream()
                .filter(m -> m.peerUrls().stream().noneMatch(wantedPeers::contains)).toList();
        List<DeployedNode> stale = ApplyState.each(deployment.etcdMembers(),
                m -> livePeers.contains(Etcd.peerUrl(m.address())) && stale(state, m) ? m : null);
        if (!stale.isEmpty()) {
            // One member at a time, each healthy before the next: the cluster keeps its quorum throughout.
            actions.add(new Action(title(), names(stale), "start etcd and wait until the members are healthy", false, () -> {
                stale.forEach(member -> {
                    state.services(member).apply(List.of(definition(state, member)));
                    waitHealthy(state, List.of(member));
                });
            }));
            if (joining.isEmpty() && leaving.isEmpty()) {
                return actions;
            }
            // A membership change waits for those members: etcd refuses one while a member is down.
            return List.of(new Action(title(), deployment.group(), "start etcd on " + names(stale) + ", then " + membershipChange(joining, leaving), true, () -> {
                stale.forEach(member -> state.services(member).apply(List.of(definition(state, member))));
                waitHealthy(state, stale);
                changeMembership(state, live.get().via(), joining, leaving);
            }));
        }
        if (!joining.isEmpty() || !leaving.isEmpty()) {
            actions.add(new Action(title(), deployment.group(), membershipChange(joining, leaving), !leaving.isEmpty(),
                    () -> changeMembership(state, live.get().via(), joining, leaving)));
        }
        return actions;
    }

    private static String membershipChange(List<DeployedNode> joining, List<Etcd.Member> leaving) {
        String leavers = leaving.stream().map(m -> m.name().isEmpty() ? String.join(",", m.peerUrls()) : m.name())
                .collect(Collectors.joining(","));
        return (joining.isEmpty() ? "" : "add etcd member " + names(joining))
                + (joining.isEmpty() || leaving.isEmpty() ? "" : ", then ")
                + (leaving.isEmpty() ? "" : "remove etcd member " + leavers);
    }

    /** Adds joiners one by one (each healthy before the next), then removes leavers one by one. */
    private static void changeMembership(ApplyState state, DeployedNode via, List<DeployedNode> joining, List<Etcd.Member> leaving) {
        DeployedNode contact = via;
        for (DeployedNode member : joining) {
            DeployedNode asked = contact;
            // etcd accepts a new voting member only once the members it has were active for a while (its health interval).
            Wait.until("for etcd to accept " + member.name() + " as a member", READY, () -> {
                try {
                    Etcd.addMember(asked, state.context().http(), member);
                    return null;
                } catch (ComponentException e) {
                    if (e.getMessage().contains("unhealthy cluster")) {
                        return e.getMessage();
                    }
                    throw e;
                }
            });
            state.services(member).apply(List.of(definition(state, member)));
            waitHealthy(state, List.of(member));
            contact = member;
        }
        Deployment previous = state.context().previous().orElseThrow();
        for (Etcd.Member member : leaving) {
            DeployedNode keeper = state.context().deployment().etcdMembers().stream()
                    .filter(m -> !m.name().equals(member.name())).findFirst().orElse(contact);
            Etcd.removeMember(keeper, state.context().http(), member);
            // The cluster may elect a new leader: let it settle before the next change.
            waitHealthy(state, state.context().deployment().etcdMembers().stream()
                    .filter(m -> leaving.stream().noneMatch(l -> l.peerUrls().contains(Etcd.peerUrl(m.address())))).toList());
            previous.node(member.name()).ifPresent(node -> {
                state.services(node).remove(Etcd.serviceName(node));
                NodeLayout layout = NodeLayout.of(previous.baseDirectory(), node.name());
                state.context().host(node).remove(layout.etcdDataDirectory());
                state.context().host(node).remove(layout.etcdTlsDirectory());
            });
        }
    }

    /** The running etcd cluster, read from the first member of the last deployment that answers. */
    private record LiveCluster(DeployedNode via, List<Etcd.Member> members) {
    }

    private static Optional<LiveCluster> live(ApplyState state) {
        Deployment previous = state.context().previous().orElse(null);
        if (previous == null) {
            return Optional.empty();
        }
        for (DeployedNode member : previous.etcdMembers()) {
            try {
                return Optional.of(new LiveCluster(member, Etcd.members(member, state.context().http())));
            } catch (ComponentException e) {
                // try the next member
            }
        }
        return Optional.empty();
    }

    private static boolean stale(ApplyState state, DeployedNode member) {
        return !state.isRunning(member, Etcd.serviceName(member)) || !state.services(member).isDefinedAs(definition(state, member));
    }

    private static void waitHealthy(ApplyState state, List<DeployedNode> members) {
        Wait.until("for etcd members " + names(members) + " to be healthy", READY, () -> members.stream()
                .map(member -> Etcd.whyUnhealthy(member, state.context().http())).filter(Objects::nonNull).findFirst().orElse(null));
    }

    private static String names(List<DeployedNode> nodes) {
        return nodes.stream().map(DeployedNode::name).collect(Collectors.joining(","));
    }

    private static ServiceDefinition definition(ApplyState state, DeployedNode member) {
        Host host = state.context().host(member);
        return Etcd.service(state.context().deployment(), state.context().deployment().key(), member,
                Etcd.user(host.isRoot(), host.serviceUser()));
    }
}
