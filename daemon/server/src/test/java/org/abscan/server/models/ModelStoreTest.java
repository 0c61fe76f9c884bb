package org.abscan.server.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.abscan.server.errors.NotFoundException;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
  @TempDir Path temp;

  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

  private static byte[] zip(String... namesAndContents) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        zip.putNextEntry(new ZipEntry(namesAndContents[i]));
        zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private StoredModelInfo commit(ModelStore store, String filename, byte[] content) throws Exception {
    Path received = store.newTempFile();
    Files.write(received, content);
    String id = ModelResolver.contentHash(received);
    return store.commit(received, id, filename, content.length, filename.endsWith(".zip"), 1 << 20,
        path -> "");
  }

  @Test
  void aZippedSavedModelIsUnpackedIntoADirectory() throws Exception {
    ModelStore store = new ModelStore(temp, clock);
    StoredModelInfo stored = commit(store, "net.zip",
        zip("net/saved_model.pb", "graph", "net/variables/variables.index", "index"));
    assertTrue(Files.isDirectory(stored.content()));
    assertEquals("net", stored.content().getFileName().toString(), "the wrapping directory is the model");
    assertEquals("graph", Files.readString(stored.content().resolve("saved_model.pb")));
    assertEquals(1_700_000_000_000L, stored.uploadedUnixMillis());
    assertEquals(stored, store.get(stored.id()));
  }

  @Test
  void archiveEntriesCannotEscapeTheModelDirectory() throws Exception {
    ModelStore store = new ModelStore(temp, clock);
    AbscanException e = assertThrows(AbscanException.class,
        () -> commit(store, "evil.zip", zip("ok.txt", "x", "../../escaped.txt", "gotcha")));
    assertEquals(ErrorCategory.MALFORMED_MODEL, e.category());
    assertTrue(Files.notExists(temp.resolve("escaped.txt")));
    assertTrue(Files.notExists(temp.getParent().resolve("escaped.txt")));
    assertEquals(0, store.list().size(), "nothing stored");
    try (var tmp = Files.list(temp.resolve("tmp"))) {
      assertEquals(0, tmp.count(), "staging cleaned up");
    }
  }

  @Test
  void sameContentSameIdAndDeleteRemovesIt() throws Exception {
    ModelStore store = new ModelStore(temp, clock);
    StoredModelInfo first = commit(store, "a.h5", "weights".getBytes(StandardCharsets.UTF_8));
    StoredModelInfo again = commit(store, "b.h5", "weights".getBytes(StandardCharsets.UTF_8));
    assertEquals(first, again);
    assertEquals("model.h5", first.content().getFileName().toString());
    store.delete(first.id());
    assertThrows(NotFoundException.class, () -> store.get(first.id()));
    assertThrows(NotFoundException.class, () -> store.delete(first.id()));
    assertThrows(NotFoundException.class, () -> store.get("../../etc"));
  }
}
