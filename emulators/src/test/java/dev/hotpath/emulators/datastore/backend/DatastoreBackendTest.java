package dev.hotpath.emulators.datastore.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where Google's emulators are looked for, and what a missing or broken one says. */
class DatastoreBackendTest {
  @TempDir Path dir;

  @Test
  void namesParseAndUnknownOnesAreRefusedNamingTheChoices() {
    assertEquals(DatastoreBackend.GOOGLE_FIRESTORE, DatastoreBackend.parse("google-firestore"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DatastoreBackend.parse("mongo"));
    assertTrue(
        e.getMessage().contains("hotpath, google-datastore or google-firestore"), e.getMessage());
  }

  @Test
  void theVariableOverridesTheStandardPathAndMustNameAnExecutable() throws IOException {
    Path launcher =
        Files.createFile(
            dir.resolve("emulator"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Map<String, String> env = Map.of("HOTPATH_GOOGLE_DATASTORE_EMULATOR", launcher.toString());
    assertEquals(Optional.of(launcher), DatastoreBackend.GOOGLE_DATASTORE.launcher(env));
    Map<String, String> wrong =
        Map.of("HOTPATH_GOOGLE_DATASTORE_EMULATOR", dir.resolve("nope").toString());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DatastoreBackend.GOOGLE_DATASTORE.launcher(wrong));
    assertTrue(e.getMessage().startsWith("HOTPATH_GOOGLE_DATASTORE_EMULATOR="), e.getMessage());
    assertEquals(
        Optional.empty(), DatastoreBackend.HOTPATH.launcher(env), "ours needs no launcher");
  }

  @Test
  void aLauncherThatExitsAtOnceIsAStartFailureNamingItAndItsOutput() throws IOException {
    Path launcher =
        Files.writeString(dir.resolve("broken"), "#!/bin/sh\necho 'no java here' >&2\nexit 3\n");
    launcher.toFile().setExecutable(true);
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                GoogleEmulator.start(
                    DatastoreBackend.GOOGLE_DATASTORE,
                    0,
                    Map.of("HOTPATH_GOOGLE_DATASTORE_EMULATOR", launcher.toString())));
    assertTrue(
        e.getMessage().contains(launcher.toString())
            && e.getMessage().contains("exited with 3")
            && e.getMessage().contains("no java here"),
        e.getMessage());
  }
}
