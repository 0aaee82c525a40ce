package io.tpa.host;

/**
 * Who owns a file or directory tpa writes, and its permissions.
 *
 * @param user        owner, or null to leave it to the user tpa runs as
 * @param permissions POSIX permissions such as "rw-------"
 */
public record FileOwner(String user, String permissions) {
    public static FileOwner privateTo(String user) {
        return new FileOwner(user, "rw-------");
    }

    public static FileOwner readable(String user) {
        return new FileOwner(user, "rw-r--r--");
    }

    public static FileOwner directory(String user) {
        return new FileOwner(user, "rwx------");
    }

    public static FileOwner sharedDirectory(String user) {
        return new FileOwner(user, "rwxr-xr-x");
    }
}
