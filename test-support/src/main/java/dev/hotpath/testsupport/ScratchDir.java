package dev.hotpath.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A temporary directory (owner-only, as the JDK creates them on POSIX) for throwaway CA and SSH
 * private keys and the files of the local servers using them. It is removed with everything in it
 * on {@link #close}, and by a shutdown hook should the JVM exit first (Ctrl+C during a benchmark
 * skips try-with-resources), so the keys never outlive the process.
 */
public final class ScratchDir implements AutoCloseable {
  /**
   * How long the shutdown hook leaves the owner to close first. Shutdown hooks run at once and in
   * no order: removing the directory while the owner's own hook (up's) was still stopping its
   * servers took coturn's pid file from under it, so Ctrl+C left coturn running.
   */
  static final Duration OWNER_GRACE = Duration.ofSeconds(10);

  private final Path path;
  private final Thread removeAtExit;
  private final CountDownLatch closed = new CountDownLatch(1);

  private ScratchDir(Path path) {
    this.path = path;
    this.removeAtExit = new Thread(this::removeUnlessClosed, "remove-" + path.getFileName());
    Runtime.getRuntime().addShutdownHook(removeAtExit);
  }

  /** Creates an empty directory in the temp folder whose name starts with {@code prefix}. */
  public static ScratchDir create(String prefix) throws IOException {
    return new ScratchDir(Files.createTempDirectory(prefix));
  }

  public Path path() {
    return path;
  }

  /** Removes the directory and everything in it; close what writes into it first. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(removeAtExit);
    } catch (IllegalStateException e) {
      // Closed from another shutdown hook (up's): ours waits for this close (OWNER_GRACE).
    }
    remove();
    closed.countDown();
  }

  /** The shutdown hook: the owner's close removes it after stopping its servers; else we do. */
  private void removeUnlessClosed() {
    try {
      if (closed.await(OWNER_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    remove();
  }

  private synchronized void remove() {
    try {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE; // a server removed it (its pid file) meanwhile
              }
              throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              if (e != null) {
                throw e;
              }
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      // removed already
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + path, e);
    }
  }
}
