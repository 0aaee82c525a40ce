package io.tpa.operation.apply;

import io.tpa.error.UserError;
import io.tpa.host.Host;
import io.tpa.host.Packages;
import io.tpa.model.Deployment;
import java.util.ArrayList;
import java.util.List;

/** Every host has the packages of the version catalog: installed with apt as root, else named for the user to install. */
final class PackagesPhase implements Phase {
    @Override
    public String title() {
        return "packages";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        Deployment deployment = state.context().deployment();
        List<String> wanted = new ArrayList<>(state.context().catalog().packages(deployment.postgresVersion(), deployment.extensions()));
        if (deployment.platform().equals("ssh")) {
            wanted.add("nftables"); // the group's firewall (host preparation)
        }
        return ApplyState.each(List.copyOf(state.hosts().keySet()), host -> {
            List<String> missing = Packages.missing(host, wanted);
            if (missing.isEmpty()) {
                return null;
            }
            if (!host.isRoot()) {
                throw new UserError(UserError.FAILED, host.name() + ": packages missing: " + String.join(", ", missing)
                        + "; install them with `" + Packages.installCommand(missing) + "` and run again");
            }
            return new Action(title(), host.name(), "install " + String.join(" ", missing), false,
                    () -> Packages.install(host, missing));
        });
    }
}
