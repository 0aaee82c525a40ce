package io.tpa.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

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

    /**
     * Commits what changed, or, when nothing did, an empty commit: for an event that changes what runs but no file of the
     * directory (an in-place restore), so that the history still says when it happened.
     */
    public void commitEvent(String message) {
        if (commit(message)) {
            return;
        }
        try (Git git = Git.open(directory.toFile())) {
            git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).setAllowEmpty(true).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot commit in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * One version of the group directory: a commit of its history.
     *
     * @param id      the commit's full id
     * @param time    when it was made
     * @param message its first line (what the command did)
     */
    public record Version(String id, java.time.Instant time, String message) {
        /** The id's first 7 characters, as git prints them. */
        public String shortId() {
            return id.substring(0, 7);
        }
    }

    /** Every version of the directory, newest first; empty without a history. */
    public java.util.List<Version> versions() {
        if (!Files.isDirectory(directory.resolve(".git"))) {
            return java.util.List.of();
        }
        try (Git git = Git.open(directory.toFile())) {
            if (git.getRepository().resolve("HEAD") == null) {
                return java.util.List.of();
            }
            java.util.List<Version> versions = new java.util.ArrayList<>();
            for (RevCommit commit : git.log().call()) {
                versions.add(new Version(commit.getName(), java.time.Instant.ofEpochSecond(commit.getCommitTime()), commit.getShortMessage()));
            }
            return versions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot read the history of " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The unified diff of every committed file between two versions (ids or their abbreviations).
     *
     * @throws io.tpa.error.UserError when a version is not in the history
     */
    public String diff(String from, String to) {
        try (Git git = Git.open(directory.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            Repository repository = git.getRepository();
            RevCommit before = walk.parseCommit(resolve(repository, from));
            RevCommit after = walk.parseCommit(resolve(repository, to));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (DiffFormatter formatter = new DiffFormatter(out)) {
                formatter.setRepository(repository);
                formatter.format(before.getTree(), after.getTree());
            }
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectId resolve(Repository repository, String version) throws IOException {
        ObjectId id = version == null || !version.matches("[0-9a-f]{4,40}") ? null : repository.resolve(version + "^{commit}");
        if (id == null) {
            throw new io.tpa.error.UserError("version " + version + ": not in the history of " + directory
                    + "; choose one that `git -C " + directory + " log` lists");
        }
        return id;
    }
}
