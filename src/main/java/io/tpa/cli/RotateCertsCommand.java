package io.tpa.cli;

import io.tpa.operation.apply.Apply;
import io.tpa.operation.apply.ApplyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "rotate-certs", mixinStandardHelpOptions = true, description = "Issue every node a new certificate from the group's CA and reload the services "
        + "that present it, with no restart and no downtime.")
final class RotateCertsCommand implements Runnable {
    @Mixin
    GroupArgument group;

    @Override
    public void run() {
        ApplyResult result = Apply.rotateCertificates(group.directory, new ApplyCommand.ProgressLines());
        System.out.printf("Rotated the certificates of group %s in %.1f s.%n", result.group(), result.seconds());
    }
}
