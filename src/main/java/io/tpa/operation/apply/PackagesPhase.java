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
        List<String> wanted = state.context().catalog().packages(deployment.postgresVersion(), deployment.extensions());
        List<Action> actions = new ArrayList<>();
        for (Host host : state.hosts().keySet()) {
            List<String> missing = Packages.missing(host, wanted);
            if (missing.isEmpty()) {
                continue;
            }
            if (!host.isRoot()) {
                throw new UserError(UserError.FAILED, host.name() + ": packages missing: " + String.join(", ", missing)
                        + "; install them with `" + Packages.installCommand(missing) + "` and run again");
            }
            actions.add(new Action(title(), host.name(), "install " + String.join(" ", missing), false,
                    () -> Packages.install(host, missing)));
        }
        return actions;
    }
}
