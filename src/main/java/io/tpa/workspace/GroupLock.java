package io.tpa.workspace;

import io.tpa.error.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An exclusive lock on a group directory, held by one tpa process. The OS releases it when the
 * process ends in any way (kill -9 included), so a crashed command never leaves it stuck.
 */
public final class GroupLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private GroupLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static GroupLock acquire(Path file, Path group, String command) {
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = Files.readString(file).strip();
                channel.close();
                throw new UserError(UserError.FAILED, group + ": another tpa command is working on this group ("
                        + (holder.isEmpty() ? "unknown" : holder) + "); wait for it to finish and run again");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("`tpa " + command + "`, pid " + ProcessHandle.current().pid() + ", since "
                    + Instant.now().toString().substring(0, 19) + "Z").getBytes(StandardCharsets.UTF_8)), 0);
            return new GroupLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
