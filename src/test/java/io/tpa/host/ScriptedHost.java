package io.tpa.host;

import java.util.Optional;

/**
 * A test's server, root with a {@code postgres} service user, that answers commands as its subclass says and has no
 * files: writing one is a test's mistake.
 */
public abstract class ScriptedHost implements Host {
    private final String name;

    protected ScriptedHost(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isRoot() {
        return true;
    }

    @Override
    public String serviceUser() {
        return "postgres";
    }

    @Override
    public void writeFile(String path, String content, FileOwner owner) {
        throw new UnsupportedOperationException("writes " + path);
    }

    @Override
    public Optional<String> readFile(String path) {
        return Optional.empty();
    }

    @Override
    public boolean exists(String path) {
        return false;
    }

    @Override
    public void createDirectory(String path, FileOwner owner) {
        throw new UnsupportedOperationException("creates " + path);
    }

    @Override
    public void remove(String path) {
        throw new UnsupportedOperationException("removes " + path);
    }
}
