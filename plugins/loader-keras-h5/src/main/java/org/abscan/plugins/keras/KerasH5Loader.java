package org.abscan.plugins.keras;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelLoader;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Loads Keras 2.x full-model HDF5 files ({@code model.save("x.h5")}). */
final class KerasH5Loader implements ModelLoader {
  private static final Logger LOG = LogManager.getLogger(KerasH5Loader.class);
  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  /** HDF5 allows a user block of 512 * 2^n bytes before the superblock; larger than this is not a model. */
  private static final long MAX_SIGNATURE_OFFSET = 1 << 20;

  @Override
  public boolean accepts(Path model) throws IOException {
    if (!Files.isRegularFile(model) || !hasHdf5Signature(model)) {
      return false;
    }
    try (HdfFile file = new HdfFile(model)) {
      return file.getAttribute("model_config") != null;
    } catch (RuntimeException e) {
      LOG.debug("{} has an HDF5 signature but cannot be opened: {}", model, e.toString());
      return false;
    }
  }

  @Override
  public LoadedModel load(Path model, LoadOptions options) throws IOException {
    if (!Files.isRegularFile(model)) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "not a file: " + model);
    }
    if (!hasHdf5Signature(model)) {
      throw KerasErrors.malformed(model.getFileName().toString(), "no HDF5 signature: not a Keras .h5 file");
    }
    try {
      KerasH5Contents contents = new KerasH5Reader(options.maxModelBytes()).read(model);
      KerasLoadedModel loaded = KerasModelAssembler.assemble(KerasConfigParser.parse(contents.modelConfig()), contents);
      if (!options.layerTensors().isEmpty()) {
        loaded = loaded.withCandidates(options.layerTensors().keySet());
      }
      LOG.debug("loaded {}: {} layers, {} parameters", model, loaded.spec().layers().size(),
          loaded.spec().parameterCount());
      return loaded;
    } catch (AbscanException e) {
      throw e;
    } catch (ArithmeticException e) {
      throw KerasErrors.malformed(model.getFileName().toString(), "a size overflows: " + e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      // jhdf reports truncated or corrupt structures as unchecked exceptions of several kinds.
      throw new AbscanException(ErrorCategory.MALFORMED_MODEL,
          "malformed HDF5 file " + model.getFileName() + ": " + e,
          java.util.List.of(new AbscanException.Violation(model.getFileName().toString(), String.valueOf(e))), e);
    } catch (OutOfMemoryError e) {
      // A backstop, not a bound: the cause stays attached so the fuzz tests can tell a missing size check.
      String file = model.getFileName().toString();
      throw new AbscanException(ErrorCategory.LIMIT_EXCEEDED, "Keras model too large: " + file
          + ": reading it ran out of memory",
          java.util.List.of(new AbscanException.Violation(file, "reading it ran out of memory")), e);
    }
  }

  /** The HDF5 superblock signature sits at offset 0, 512, 1024, 2048, ... */
  static boolean hasHdf5Signature(Path model) throws IOException {
    long size = Files.size(model);
    byte[] header = new byte[HDF5_SIGNATURE.length];
    try (var channel = Files.newByteChannel(model)) {
      for (long offset = 0; offset + header.length <= Math.min(size, MAX_SIGNATURE_OFFSET + header.length);
          offset = offset == 0 ? 512 : offset * 2) {
        channel.position(offset);
        var buffer = java.nio.ByteBuffer.wrap(header);
        while (buffer.hasRemaining() && channel.read(buffer) > 0) {
          // read fully
        }
        if (!buffer.hasRemaining() && Arrays.equals(header, HDF5_SIGNATURE)) {
          return true;
        }
      }
    }
    return false;
  }
}
