package io.tpa.operation.secrets;

import io.tpa.error.UserError;
import io.tpa.model.Roles;
import io.tpa.model.SecretNames;
import io.tpa.workspace.GroupDirectory;
import io.tpa.workspace.GroupLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading a group's secrets on purpose: the one way (with {@code connect-string --show-password})
 * that tpa ever shows a password; and setting the secrets tpa cannot generate ({@link SecretNames#SETTABLE}).
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

    /**
     * Keeps a secret the user gives (an S3 repository's keys) in the group's encrypted secrets; creates them when the group
     * has none yet. The value is never printed.
     *
     * @return true when the secret was new or changed
     */
    public static boolean set(Path directory, String name, String value) {
        if (!SecretNames.SETTABLE.contains(name)) {
            throw new UserError("secret '" + name + "': not one that can be set; the secrets you set are " + String.join(", ", SecretNames.SETTABLE)
                    + " (tpa generates the others)");
        }
        String stripped = value == null ? "" : value.strip();
        if (stripped.isEmpty() || stripped.lines().count() > 1) {
            throw new UserError("secret " + name + ": expected one line on standard input, got " + (stripped.isEmpty() ? "nothing" : "several lines")
                    + "; pipe the value in, for example `printf '%s' \"$VALUE\" | tpa secrets set " + directory + " " + name + "`");
        }
        GroupDirectory group = new GroupDirectory(directory);
        if (!Files.isDirectory(group.path())) {
            throw new UserError(group.path() + ": no such group directory; create one with `tpa init " + directory + "`");
        }
        try (GroupLock ignored = group.lock("secrets set")) {
            Map<String, String> secrets = new LinkedHashMap<>(group.secrets());
            if (stripped.equals(secrets.get(name)) && group.hasSecrets()) {
                return false;
            }
            secrets.put(name, stripped);
            group.saveSecrets(secrets);
            return true;
        }
    }

    /**
     * A new group made from a group with its backups in S3 ({@code tpa restore --into}, {@code tpa fork}) gets that group's
     * keys to the store, the only secrets tpa cannot generate: it keeps its backups in the same bucket, under a path and
     * stanza of its own. Nothing for a source without an S3 repository.
     */
    public static void copyS3Keys(io.tpa.model.Deployment source, Map<String, String> sourceSecrets, GroupDirectory target) {
        if (source.backup() == null || !source.backup().repository().s3()) {
            return;
        }
        Map<String, String> secrets = new LinkedHashMap<>(target.secrets());
        for (String name : SecretNames.SETTABLE) {
            secrets.put(name, sourceSecrets.get(name));
        }
        target.saveSecrets(secrets);
    }
}
