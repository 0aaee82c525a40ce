package io.tpa.operation.apply;

import io.tpa.component.Etcd;
import io.tpa.host.Host;
import io.tpa.host.ServiceDefinition;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** The group's etcd members run with their current definition and the etcd cluster is healthy. */
final class EtcdPhase implements Phase {
    static final Duration READY = Duration.ofSeconds(60);

    @Override
    public String title() {
        return "etcd";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        Deployment deployment = state.context().deployment();
        List<DeployedNode> stale = deployment.etcdMembers().stream()
                .filter(member -> !state.isRunning(member, Etcd.serviceName(member))
                        || !state.services(member).isDefinedAs(definition(state, member)))
                .toList();
        if (stale.isEmpty()) {
            return List.of();
        }
        String targets = stale.stream().map(DeployedNode::name).collect(Collectors.joining(","));
        return List.of(new Action(title(), targets, "start etcd and wait until the members are healthy", false, () -> {
            for (DeployedNode member : stale) {
                state.services(member).apply(List.of(definition(state, member)));
            }
            Wait.until("for etcd members " + targets + " to be healthy", READY, () -> deployment.etcdMembers().stream()
                    .map(member -> Etcd.whyUnhealthy(member, state.context().http())).filter(Objects::nonNull).findFirst().orElse(null));
        }));
    }

    private static ServiceDefinition definition(ApplyState state, DeployedNode member) {
        Host host = state.context().host(member);
        return Etcd.service(state.context().deployment(), state.context().deployment().key(), member,
                Etcd.user(host.isRoot(), host.serviceUser()));
    }
}
