package io.tpa.operation.apply;

import io.tpa.error.UserError;
import io.tpa.host.Host;
import io.tpa.host.Packages;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every host has the packages of the version catalog: installed with apt as root, else named for the user to install. */
final class PackagesPhase implements Phase {
    @Override
    public String title() {
        return "packages";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        Deployment deployment = state.context().deployment();
        Map<Host, List<DeployedNode>> hosts = state.hosts();
        return ApplyState.each(List.copyOf(hosts.keySet()), host -> {
            // A host's nodes share its release: the first one says which packages it gets.
            List<String> wanted = new ArrayList<>(state.context().catalog().packages(hosts.get(host).get(0).release(),
                    deployment.postgresVersion(), deployment.extensions()));
            if (state.context().spec().endpoints() != null) {
                wanted.addAll(state.context().catalog().featurePackages(hosts.get(host).get(0).release(), "endpoints"));
            }
            if (deployment.backup() != null) {
                wanted.addAll(state.context().catalog().featurePackages(hosts.get(host).get(0).release(), "backup"));
            }
            if (state.context().spec().monitoring() != null) {
                wanted.addAll(state.context().catalog().featurePackages(hosts.get(host).get(0).release(), "monitoring"));
                String prometheus = state.context().spec().monitoring().prometheus();
                if (hosts.get(host).stream().anyMatch(node -> node.name().equals(prometheus))) {
                    wanted.addAll(state.context().catalog().featurePackages(hosts.get(host).get(0).release(), "prometheus"));
                }
            }
            if (deployment.platform().equals("ssh")) {
                wanted.add("nftables"); // the group's firewall (host preparation)
            }
            List<String> missing = Packages.missing(host, wanted);
            if (missing.isEmpty()) {
                return null;
            }
            if (!host.isRoot()) {
                throw new UserError(UserError.FAILED, host.name() + ": packages missing: " + String.join(", ", missing)
                        + "; install them with `" + Packages.installCommand(missing) + "` and run again");
            }
            return new Action(title(), host.name(), "install " + String.join(" ", missing), false,
                    () -> Packages.install(host, missing, state::note));
        });
    }
}
