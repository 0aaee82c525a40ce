package io.tpa.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the built `bin/tpa` as a user would, and keeps what it printed. */
final class Tpa {
    static final Path ROOT = Path.of(System.getProperty("tpa.root", ".")).toAbsolutePath();
    /** A private copy of the built jar: a build running beside the tests cannot swap classes under them. */
    private static final Path JAR = copyOfJar();

    private static Path copyOfJar() {
        try {
            Path directory = java.nio.file.Files.createTempDirectory("tpa-it-jar-");
            Path copy = directory.resolve("tpa.jar");
            java.nio.file.Files.copy(ROOT.resolve("target/tpa.jar"), copy);
            directory.toFile().deleteOnExit();
            copy.toFile().deleteOnExit();
            return copy;
        } catch (IOException e) {
            throw new AssertionError("cannot copy target/tpa.jar: build it first (mvn package)", e);
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    private Tpa() {
    }

    static Result run(String... arguments) {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/tpa").toString()));
        command.addAll(List.of(arguments));
        return exec(command, 300);
    }

    /** Runs bin/tpa with this text on its standard input (a secret, say). */
    static Result runWithInput(String input, String... arguments) {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/tpa").toString()));
        command.addAll(List.of(arguments));
        return exec(command, 300, input);
    }

    static Process start(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/tpa").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TPA_JAR", JAR.toString());
        return builder.start();
    }

    static Result exec(List<String> command, int timeoutSeconds) {
        return exec(command, timeoutSeconds, "");
    }

    static Result exec(List<String> command, int timeoutSeconds, String input) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("TPA_JAR", JAR.toString());
            Process process = builder.start();
            try (java.io.OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
