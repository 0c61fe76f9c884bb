package org.abscan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.abscan.cli.request.ModelUploader;
import org.abscan.cli.testing.FakeModelService;
import org.abscan.cli.testing.Fixtures;
import org.abscan.cli.testing.InProcessDaemon;
import org.abscan.proto.model.v1.ModelServiceGrpc;
import org.abscan.proto.model.v1.UploadModelRequest;
import org.abscan.proto.model.v1.UploadModelResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelUploaderTest {
  @TempDir
  Path dir;

  @Test
  void chunksReassembleToTheFilesSha256() throws Exception {
    int size = 2 * ModelUploader.CHUNK_BYTES + 12_345;
    Path model = Fixtures.modelFile(dir, size);
    FakeModelService models = new FakeModelService();
    try (InProcessDaemon daemon = new InProcessDaemon(models)) {
      UploadModelResponse response =
          new ModelUploader(ModelServiceGrpc.newStub(daemon.channel())).upload(model, "keras-h5");

      byte[] content = Files.readAllBytes(model);
      assertEquals(Fixtures.sha256(content), response.getModelId());
      FakeModelService.Upload upload = models.uploads.get(0);
      assertArrayEquals(content, upload.content());
      List<UploadModelRequest> messages = upload.messages();
      assertTrue(messages.get(0).hasMetadata(), "metadata first");
      assertEquals("model.h5", messages.get(0).getMetadata().getFilename());
      assertEquals("keras-h5", messages.get(0).getMetadata().getFormat());
      assertEquals(size, messages.get(0).getMetadata().getSizeBytes());
      assertEquals(List.of(ModelUploader.CHUNK_BYTES, ModelUploader.CHUNK_BYTES, 12_345),
          messages.subList(1, messages.size()).stream().map(m -> m.getChunk().size()).toList());
    }
  }

  @Test
  void aDirectoryIsUploadedAsADeterministicZip() throws Exception {
    Path savedModel = Files.createDirectories(dir.resolve("saved/variables"));
    Files.writeString(dir.resolve("saved/saved_model.pb"), "graph", StandardCharsets.UTF_8);
    Files.writeString(savedModel.resolve("variables.index"), "index", StandardCharsets.UTF_8);
    FakeModelService models = new FakeModelService();
    try (InProcessDaemon daemon = new InProcessDaemon(models)) {
      ModelUploader uploader = new ModelUploader(ModelServiceGrpc.newStub(daemon.channel()));
      String first = uploader.upload(dir.resolve("saved"), null).getModelId();
      String second = uploader.upload(dir.resolve("saved"), null).getModelId();

      assertEquals(first, second, "same directory, same bytes, same id");
      assertEquals("saved.zip", models.uploads.get(0).messages().get(0).getMetadata().getFilename());
      Map<String, String> entries = new HashMap<>();
      try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(models.uploads.get(0).content()))) {
        for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
          entries.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      assertEquals(Map.of("saved_model.pb", "graph", "variables/variables.index", "index"), entries);
    }
  }

  @Test
  void aMissingModelIsRejectedWithoutACall() throws Exception {
    FakeModelService models = new FakeModelService();
    try (InProcessDaemon daemon = new InProcessDaemon(models)) {
      CliFailure failure = assertThrows(CliFailure.class,
          () -> new ModelUploader(ModelServiceGrpc.newStub(daemon.channel())).upload(dir.resolve("none.h5"), null));
      assertEquals(ExitCodes.REJECTED, failure.exitCode());
      assertTrue(models.uploads.isEmpty());
    }
  }
}
