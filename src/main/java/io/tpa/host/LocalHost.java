package io.tpa.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** This machine. Commands run as child processes; files are written directly. */
public final class LocalHost implements Host {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @Override
    public String name() {
        return "localhost";
    }

    @Override
    public boolean isRoot() {
        return ROOT;
    }

    @Override
    public String serviceUser() {
        return ROOT ? "postgres" : System.getProperty("user.name");
    }

    @Override
    public CommandResult run(Command command) {
        List<String> argv = new ArrayList<>();
        if (command.user() != null && !command.user().equals(System.getProperty("user.name"))) {
            if (!ROOT) {
                throw new HostException("cannot run `" + command.display() + "` as " + command.user() + " without root");
            }
            argv.addAll(List.of("runuser", "-u", command.user(), "--"));
        }
        argv.addAll(command.argv());
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(command.environment());
        try {
            Process process = builder.start();
            CompletableFuture<String> stdout = drain(process.getInputStream());
            CompletableFuture<String> stderr = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                if (command.stdin() != null) {
                    in.write(command.stdin().getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new HostException("`" + command.display() + "` did not finish within " + command.timeout().toSeconds() + " s");
            }
            return new CommandResult(process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            throw new HostException("cannot run `" + command.display() + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while running `" + command.display() + "`", e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    @Override
    public void writeFile(String path, String content, FileOwner owner) {
        Path target = Path.of(path);
        try {
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temporary, content);
                applyOwner(temporary, owner);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new HostException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> readFile(String path) {
        try {
            return Optional.of(Files.readString(Path.of(path)));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HostException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(Path.of(path));
    }

    @Override
    public void createDirectory(String path, FileOwner owner) {
        try {
            Path directory = Files.createDirectories(Path.of(path));
            applyOwner(directory, owner);
        } catch (IOException e) {
            throw new HostException("cannot create directory " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(String path) {
        Path root = Path.of(path);
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException error) throws IOException {
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + path, e);
        }
    }

    private static void applyOwner(Path path, FileOwner owner) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setPermissions(PosixFilePermissions.fromString(owner.permissions()));
        if (owner.user() != null && ROOT) {
            UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            view.setOwner(users.lookupPrincipalByName(owner.user()));
            view.setGroup(users.lookupPrincipalByGroupName(owner.user()));
        }
    }
}
