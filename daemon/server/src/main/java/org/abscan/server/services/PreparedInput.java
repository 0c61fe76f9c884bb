package org.abscan.server.services;

import org.abscan.engine.SeedImages;
import org.abscan.server.models.ResolvedModel;
import org.abscan.spi.model.LoadedModel;

/** A request's model (loaded; owned by whoever runs the work) and its decoded seeds. */
record PreparedInput(ResolvedModel resolved, LoadedModel model, SeedImages seeds) implements AutoCloseable {
  @Override
  public void close() {
    model.close();
  }
}
