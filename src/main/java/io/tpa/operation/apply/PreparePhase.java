package io.tpa.operation.apply;

import io.tpa.component.Etcd;
import io.tpa.component.NodeLayout;
import io.tpa.host.FileOwner;
import io.tpa.host.Host;
import io.tpa.model.DeployedNode;
import io.tpa.workspace.GroupDirectory;
import java.util.ArrayList;
import java.util.List;

/** Every node has its directories, owned by the user its services run as; the group has its passwords. */
final class PreparePhase implements Phase {
    private static String readQuietly(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Override
    public String title() {
        return "prepare";
    }

    @Override
    public List<Action> plan(ApplyState state) {
        List<Action> actions = new ArrayList<>();
        GroupDirectory directory = state.context().directory();
        if (state.context().secretsNeedSaving()) {
            actions.add(new Action(title(), state.context().deployment().group(), "generate passwords and the group's CA", false, () -> {
                directory.ensureGitignore();
                directory.saveSecrets(state.context().secrets());
            }));
        }
        String caPem = state.context().authority().certificatePem();
        if (!readQuietly(directory.caCertificateFile()).equals(caPem)) {
            actions.add(new Action(title(), state.context().deployment().group(), "write the CA certificate to "
                    + GroupDirectory.CA_CERTIFICATE, false, () -> directory.saveCaCertificate(state.context().authority())));
        }
        actions.addAll(ApplyState.each(state.context().deployment().nodes(), node -> {
            Host host = state.context().host(node);
            NodeLayout layout = NodeLayout.of(state.context().deployment().baseDirectory(), node.name());
            if (host.exists(layout.runDirectory()) && (!node.etcdMember() || host.exists(layout.etcdDataDirectory()))) {
                return null;
            }
            String user = host.serviceUser();
            return new Action(title(), node.name(), "create directories under " + layout.directory(), false, () -> {
                host.createDirectory(state.context().deployment().baseDirectory(), FileOwner.sharedDirectory(null));
                host.createDirectory(layout.directory(), FileOwner.sharedDirectory(user));
                host.createDirectory(layout.logDirectory(), new FileOwner(user, "rwxrwx---"));
                if (node.etcdMember()) {
                    host.createDirectory(layout.etcdDataDirectory(), FileOwner.directory(Etcd.user(host.isRoot(), user)));
                }
                host.createDirectory(layout.runDirectory(), FileOwner.directory(user));
                host.createDirectory(layout.tlsDirectory(), FileOwner.directory(user));
                if (node.etcdMember()) {
                    host.createDirectory(layout.etcdTlsDirectory(), FileOwner.directory(Etcd.user(host.isRoot(), user)));
                }
            });
        }));
        return actions;
    }
}
