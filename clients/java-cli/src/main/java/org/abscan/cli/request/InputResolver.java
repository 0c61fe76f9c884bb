package org.abscan.cli.request;

import java.io.IOException;
import java.nio.file.Path;
import org.abscan.cli.options.ModelOptions;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.common.v1.SeedSet;
import org.abscan.proto.model.v1.UploadModelResponse;

/**
 * Turns the user's MODEL and --seeds into what a request carries, in one of three ways: a daemon that shares
 * this file system (embedded) gets absolute paths; a remote one gets the model uploaded and the seed images
 * as bytes; with --server-paths a remote one gets the paths as given, to resolve on its side.
 */
public final class InputResolver {
  /** Says what happened when the model had to be uploaded. */
  public interface UploadListener {
    void uploaded(Path model, UploadModelResponse response);
  }

  private final boolean sharesFilesystem;
  private final ModelOptions options;
  private final ModelUploader uploader;
  private final UploadListener listener;

  public InputResolver(boolean sharesFilesystem, ModelOptions options, ModelUploader uploader,
      UploadListener listener) {
    this.sharesFilesystem = sharesFilesystem;
    this.options = options;
    this.uploader = uploader;
    this.listener = listener;
  }

  public ModelRef model() {
    ModelRef.Builder ref = ModelRef.newBuilder().setFormat(options.format == null ? "" : options.format);
    if (options.serverPaths) {
      return ref.setServerPath(options.model).build();
    }
    Path local = absolute(options.model);
    if (sharesFilesystem) {
      return ref.setServerPath(real(local).toString()).build();
    }
    UploadModelResponse uploaded = uploader.upload(local, options.format);
    listener.uploaded(local, uploaded);
    return ref.setModelId(uploaded.getModelId()).build();
  }

  public SeedSet seeds(String seeds) {
    if (options.serverPaths) {
      return SeedSet.newBuilder().setServerFolder(seeds).build();
    }
    Path local = absolute(seeds);
    if (sharesFilesystem) {
      return SeedSet.newBuilder().setServerFolder(real(local).toString()).build();
    }
    return SeedSet.newBuilder().addAllImages(SeedFolderReader.read(local)).build();
  }

  /** Absolute and normalised; the daemon resolves symbolic links itself against its model roots. */
  public static Path absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize();
  }

  /**
   * The embedded daemon keeps its model roots as real paths and checks the path it is given against them
   * before resolving links, so ../shared/model.h5 through a symbolic link would be "outside the roots":
   * give it the real path. A path that cannot be resolved goes as it is, for the daemon to report.
   */
  private static Path real(Path local) {
    try {
      return local.toRealPath();
    } catch (IOException | SecurityException e) {
      return local;
    }
  }
}
