package io.tpa.it;

import io.tpa.security.CertificateAuthority;
import io.tpa.wait.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * An S3-compatible store for tests: s3rver (npm, installed by scripts/install-test-deps.sh into {@link #PREFIX}) on
 * 127.0.0.1 only, over HTTPS with a certificate for {@code localhost} from a throwaway CA, with one bucket. pgBackRest 2.45
 * matches the store's host name against the certificate's DNS names only, hence {@code localhost} (which resolves to
 * 127.0.0.1 here) rather than an address. {@link #close} stops s3rver and deletes its files, whatever happened.
 */
final class S3Store implements AutoCloseable {
    static final Path PREFIX = Path.of("/opt/tpa-test/s3rver");
    /** s3rver's built-in account: the only keys it accepts. */
    static final String KEY_ID = "S3RVER";
    static final String KEY_SECRET = "S3RVER";
    static final String ENDPOINT = "localhost";

    final Path directory;
    final String bucket;
    final int port;
    private final Process process;

    private S3Store(Path directory, String bucket, int port, Process process) {
        this.directory = directory;
        this.bucket = bucket;
        this.port = port;
        this.process = process;
    }

    static S3Store start(String bucket) throws IOException {
        Path binary = PREFIX.resolve("node_modules/.bin/s3rver");
        if (!Files.isExecutable(binary)) {
            throw new AssertionError(binary + " is missing: run scripts/install-test-deps.sh");
        }
        Path directory = Files.createTempDirectory("tpa-s3-");
        Process process = null;
        try {
            // pgBackRest runs as postgres and reads the CA certificate: the directory and that file are readable by all.
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            CertificateAuthority authority = CertificateAuthority.create("tpa s3 test");
            CertificateAuthority.Issued issued = authority.issue(ENDPOINT, List.of(ENDPOINT), Duration.ofDays(1));
            Files.writeString(directory.resolve("ca.crt"), authority.certificatePem());
            Files.setPosixFilePermissions(directory.resolve("ca.crt"), PosixFilePermissions.fromString("rw-r--r--"));
            Files.writeString(directory.resolve("store.crt"), issued.certificatePem());
            Path key = Files.createFile(directory.resolve("store.key"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, issued.privateKeyPem());
            Files.createDirectory(directory.resolve("data"));
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-d", directory.resolve("data").toString(), "-a", "127.0.0.1", "-p",
                    Integer.toString(port), "--key", key.toString(), "--cert", directory.resolve("store.crt").toString(),
                    "--no-vhost-buckets", "--configure-bucket", bucket);
            // s3rver 3.7.1 makes ListObjectsV2's continuation tokens (a listing of more than 1000 objects, as pgBackRest's
            // stanza-delete does) with DES, which Node's OpenSSL 3 keeps in its legacy provider.
            builder.environment().put("NODE_OPTIONS", "--openssl-legacy-provider");
            process = builder.redirectErrorStream(true).redirectOutput(directory.resolve("s3rver.log").toFile()).start();
            Process started = process;
            Wait.until("for s3rver to listen on 127.0.0.1:" + port, Duration.ofSeconds(30), () -> started.isAlive() && listening(port));
            return new S3Store(directory, bucket, port, process);
        } catch (RuntimeException | IOException | Error e) {
            stop(process);
            delete(directory);
            throw e;
        }
    }

    /** The CA certificate pgBackRest verifies the store with. */
    Path caFile() {
        return directory.resolve("ca.crt");
    }

    /** The files the bucket holds under a prefix (s3rver keeps each object as files named after its key). */
    List<String> objects(String prefix) throws IOException {
        Path root = directory.resolve("data").resolve(bucket);
        Path under = root.resolve(prefix.replaceFirst("^/", ""));
        if (!Files.exists(under)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(under)) {
            return files.filter(Files::isRegularFile).map(file -> root.relativize(file).toString())
                    .filter(name -> name.endsWith("._S3rver_object")).sorted().toList();
        }
    }

    /** Every file of the store's directory (data, log), for a search for secrets in clear. */
    Path dataDirectory() {
        return directory.resolve("data");
    }

    @Override
    public void close() {
        stop(process);
        delete(directory);
    }

    private static void stop(Process process) {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
