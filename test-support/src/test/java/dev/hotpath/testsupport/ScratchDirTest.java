package dev.hotpath.testsupport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScratchDirTest {
  @Test
  void closeRemovesTheDirectoryWithEverythingInIt() throws Exception {
    Path path;
    try (ScratchDir dir = ScratchDir.create("hotpath-scratch-test")) {
      path = dir.path();
      assertTrue(path.getFileName().toString().startsWith("hotpath-scratch-test"), path.toString());
      Files.createDirectories(path.resolve("ca/nested"));
      Files.writeString(path.resolve("ca/nested/key.pem"), "throwaway");
      Files.writeString(path.resolve("id_ed25519"), "throwaway");
      path.resolve("id_ed25519").toFile().setReadOnly();
    }
    assertFalse(Files.exists(path), path + " is left behind");
  }

  @Test
  void closingTwiceOrAfterTheDirectoryIsGoneIsFine() throws Exception {
    ScratchDir dir = ScratchDir.create("hotpath-scratch-test");
    Files.delete(dir.path());
    dir.close();
    dir.close();
    assertFalse(Files.exists(dir.path()));
  }
}
