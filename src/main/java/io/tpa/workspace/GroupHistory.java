package io.tpa.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The git history of a group directory. Every successful change commits the config and the
 * deployment record; secrets are excluded by the directory's .gitignore.
 */
public final class GroupHistory {
    private static final PersonIdent AUTHOR = new PersonIdent("tpa", "tpa@localhost");

    private final Path directory;

    public GroupHistory(Path directory) {
        this.directory = directory;
    }

    public void initialize() {
        if (Files.isDirectory(directory.resolve(".git"))) {
            return;
        }
        try (Git ignored = Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call()) {
            // created
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot create a git repository in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Commits these files (paths relative to the directory) and nothing else; returns false when they had not changed. */
    public boolean commitOnly(String message, String... paths) {
        initialize();
        try (Git git = Git.open(directory.toFile())) {
            var add = git.add();
            var commit = git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false);
            for (String path : paths) {
                add.addFilepattern(path);
                commit.setOnly(path);
            }
            add.call();
            Status status = git.status().call();
            if (java.util.Arrays.stream(paths).noneMatch(path -> status.getAdded().contains(path) || status.getChanged().contains(path))) {
                return false;
            }
            commit.call();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot commit in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Commits every change to tracked and new files (never ignored ones); returns false when there was nothing to commit. */
    public boolean commit(String message) {
        initialize();
        try (Git git = Git.open(directory.toFile())) {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            Status status = git.status().call();
            if (status.getAdded().isEmpty() && status.getChanged().isEmpty() && status.getRemoved().isEmpty()) {
                return false;
            }
            git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot commit in " + directory + ": " + e.getMessage(), e);
        }
    }
}
