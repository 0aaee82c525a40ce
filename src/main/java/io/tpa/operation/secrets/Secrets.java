package io.tpa.operation.secrets;

import io.tpa.error.UserError;
import io.tpa.model.Roles;
import io.tpa.model.SecretNames;
import io.tpa.workspace.GroupDirectory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading a group's secrets on purpose: the one way (with {@code connect-string --show-password})
 * that tpa ever shows a password.
 */
public final class Secrets {
    private Secrets() {
    }

    /** The password the group keeps for one of its roles, or for the exporters' user {@value SecretNames#SCRAPE_PASSWORD}. */
    public static String password(Path directory, String role) {
        if (!Roles.ALL.contains(role) && !role.equals(SecretNames.SCRAPE_PASSWORD)) {
            throw new UserError("role '" + role + "': no such role; the group's roles are " + String.join(", ", Roles.ALL)
                    + " (and " + SecretNames.SCRAPE_PASSWORD + ", the exporters' user, with monitoring)");
        }
        GroupDirectory group = new GroupDirectory(directory);
        if (!Files.isDirectory(group.path())) {
            throw new UserError(group.path() + ": no such group directory; create one with `tpa init " + directory + "`");
        }
        if (!group.hasSecrets() && !group.hasClearSecrets()) {
            throw UserError.failed(group.path() + ": the group has no secrets yet (no " + GroupDirectory.SECRETS
                    + "); `tpa apply " + directory + "` creates them");
        }
        String password = group.secrets().get(role);
        if (password == null) {
            throw UserError.failed("role " + role + " has no password yet in " + group.path().resolve(GroupDirectory.SECRETS)
                    + "; `tpa apply " + directory + "` creates the role and its password");
        }
        return password;
    }
}
