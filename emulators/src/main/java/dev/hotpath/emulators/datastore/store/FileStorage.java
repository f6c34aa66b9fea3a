package dev.hotpath.emulators.datastore.store;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Persists commits in a directory: {@code datastore.snapshot} (every entity as of the last
 * compaction) plus {@code datastore.log} (every commit since, appended). Loading replays both and
 * stops at a frame torn by a crash, cutting the log there. The emulator compacts once at start-up,
 * so the log only grows while it runs. A {@code datastore.lock} file keeps two emulators off one
 * directory.
 */
public final class FileStorage implements Storage {
  private static final Logger LOG = Logger.getLogger(FileStorage.class.getName());
  private static final int SNAPSHOT_FRAME_ENTITIES = 500;

  private final Path dir;
  private final Path logFile;
  private final Path snapshotFile;
  private final FsyncPolicy fsync;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private FileChannel log;
  private volatile long written;
  private final Object syncMonitor = new Object();
  private long synced;
  private boolean syncing;

  public FileStorage(Path dir, FsyncPolicy fsync) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.logFile = dir.resolve("datastore.log");
    this.snapshotFile = dir.resolve("datastore.snapshot");
    this.fsync = fsync;
    this.lockChannel =
        FileChannel.open(
            dir.resolve("datastore.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    this.lock = tryLock(lockChannel, dir);
  }

  private static FileLock tryLock(FileChannel channel, Path dir) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another emulator in this same process
    }
    if (lock == null) {
      channel.close();
      throw new DataDirInUseException(dir);
    }
    return lock;
  }

  @Override
  public void load(Consumer<CommitRecord> each) throws IOException {
    if (Files.exists(snapshotFile)) {
      long good = replay(snapshotFile, each);
      if (good != Files.size(snapshotFile)) {
        throw new IOException("snapshot " + snapshotFile + " is damaged at byte " + good);
      }
    }
    long good = Files.exists(logFile) ? replay(logFile, each) : 0;
    log = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (log.size() > good) {
      LOG.warning("cutting a torn tail off " + logFile + " at byte " + good + " of " + log.size());
      log.truncate(good);
    }
    log.position(good);
    written = good;
    synced = good;
  }

  /** Replays the frames of {@code file}; answers the length of its undamaged prefix. */
  private static long replay(Path file, Consumer<CommitRecord> each) throws IOException {
    long good = 0;
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      while (true) {
        int length;
        int crc;
        byte[] body;
        try {
          length = in.readInt();
          crc = in.readInt();
          if (length < 0) {
            return good;
          }
          body = in.readNBytes(length);
        } catch (EOFException e) {
          return good;
        }
        if (body.length < length) {
          return good;
        }
        CommitRecord record = LogFrames.decode(body, crc);
        if (record == null) {
          return good;
        }
        each.accept(record);
        good += LogFrames.HEADER_BYTES + length;
      }
    }
  }

  @Override
  public long append(CommitRecord record) throws IOException {
    ByteBuffer frame = ByteBuffer.wrap(LogFrames.encode(record));
    long start = written;
    try {
      while (frame.hasRemaining()) {
        log.write(frame);
      }
    } catch (IOException e) {
      // Leave no half frame behind for the next commit to append after.
      log.truncate(start);
      log.position(start);
      throw e;
    }
    written = start + frame.capacity();
    return written;
  }

  @Override
  public void awaitDurable(long ticket) throws IOException {
    if (fsync == FsyncPolicy.NEVER) {
      return;
    }
    synchronized (syncMonitor) {
      while (synced < ticket && syncing) {
        try {
          syncMonitor.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the log flush", e);
        }
      }
      if (synced >= ticket) {
        return;
      }
      syncing = true;
    }
    // This thread leads one flush that covers every commit appended so far (group commit).
    long target = written;
    boolean ok = false;
    try {
      log.force(false);
      ok = true;
    } finally {
      synchronized (syncMonitor) {
        syncing = false;
        if (ok) {
          synced = Math.max(synced, target);
        }
        syncMonitor.notifyAll();
      }
    }
  }

  @Override
  public void rewrite(Iterable<VersionedEntity> entities, long lastCommit) throws IOException {
    Path tmp = dir.resolve("datastore.snapshot.tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      List<VersionedEntity> batch = new ArrayList<>();
      for (VersionedEntity e : entities) {
        batch.add(e);
        if (batch.size() == SNAPSHOT_FRAME_ENTITIES) {
          writeFully(out, new CommitRecord(lastCommit, batch, List.of()));
          batch.clear();
        }
      }
      // Always at least one frame, so the snapshot carries the last commit version.
      writeFully(out, new CommitRecord(lastCommit, batch, List.of()));
      out.force(true);
    }
    Files.move(
        tmp, snapshotFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    truncateLog();
  }

  private static void writeFully(FileChannel out, CommitRecord record) throws IOException {
    ByteBuffer frame = ByteBuffer.wrap(LogFrames.encode(record));
    while (frame.hasRemaining()) {
      out.write(frame);
    }
  }

  @Override
  public void clear() throws IOException {
    Files.deleteIfExists(snapshotFile);
    truncateLog();
  }

  private void truncateLog() throws IOException {
    log.truncate(0);
    log.position(0);
    log.force(true);
    written = 0;
    synchronized (syncMonitor) {
      synced = 0;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (log != null) {
        log.force(false);
        log.close();
      }
    } finally {
      lock.release();
      lockChannel.close();
    }
  }
}
