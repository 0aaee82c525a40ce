package io.tpa.operation;

import io.tpa.component.Http;
import io.tpa.error.UserError;
import io.tpa.model.Deployment;
import io.tpa.model.SecretNames;
import io.tpa.security.CertificateAuthority;
import io.tpa.security.TlsClient;
import io.tpa.workspace.GroupDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An applied group, for the commands that work on what runs (status, psql, connect-string):
 * its deployment record, its secrets and a client that trusts its CA.
 */
public record GroupAccess(GroupDirectory directory, Deployment deployment, Map<String, String> secrets, Http http) {

    public static GroupAccess open(Path path) {
        Deployment deployment = applied(path);
        GroupDirectory directory = new GroupDirectory(path);
        Map<String, String> secrets = directory.secrets();
        if (!directory.hasSecrets() || !secrets.containsKey(SecretNames.CA_KEY) || !Files.exists(directory.caCertificateFile())) {
            throw new UserError(directory.path() + ": the group's secrets or CA certificate are missing; restore them from your backup "
                    + "of the group directory (see docs/security.md)");
        }
        CertificateAuthority authority = directory.certificateAuthority(secrets, deployment.group());
        return new GroupAccess(directory, deployment, secrets, http(authority, secrets));
    }

    /** The group as last applied: its deployment record. */
    public static Deployment applied(Path path) {
        GroupDirectory directory = new GroupDirectory(path);
        if (!Files.isDirectory(directory.path())) {
            throw new UserError(directory.path() + ": no such group directory; create one with `tpa init " + path + "`");
        }
        return directory.deployment().orElseThrow(() -> new UserError(directory.path()
                + ": the group has not been applied yet (no " + GroupDirectory.RECORD + "); run `tpa apply " + path + "` first"));
    }

    static Http http(CertificateAuthority authority, Map<String, String> secrets) {
        return new Http(TlsClient.context(authority), SecretNames.PATRONI_API_USER, secrets.get(SecretNames.PATRONI_API));
    }

    /** The platform the group runs on, able to reach its hosts. */
    public io.tpa.host.Platform platform() {
        return Platforms.forDeployment(directory.path(), deployment);
    }

    public GroupHealth health() {
        return GroupHealth.read(deployment, http);
    }
}
