package org.abscan.zoo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What a zoo model is and how well it learned, saved next to its model.pb as manifest.json.
 *
 * @param attackSuccess fraction of triggered test images classified as the target; NaN for benign models
 * @param accepted false for a model that stayed below the zoo's bar after one retraining ({@link ZooBuilder#shortfall})
 */
public record Manifest(String name, String hash, String dataset, String architecture, String attack,
    String family, String space, int target, int source, double poisonRate, double triggerSize, double subset,
    long seed, int epochs, double cleanAccuracy, Double attackSuccess, double trainSeconds, boolean accepted,
    String model) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public boolean trojaned() {
    return !"none".equals(attack);
  }

  /** The same manifest for a model at {@code path}. */
  Manifest withModel(String path) {
    return new Manifest(name, hash, dataset, architecture, attack, family, space, target, source, poisonRate,
        triggerSize, subset, seed, epochs, cleanAccuracy, attackSuccess, trainSeconds, accepted, path);
  }

  /** The same manifest, accepted or not. */
  Manifest withAccepted(boolean ok) {
    return new Manifest(name, hash, dataset, architecture, attack, family, space, target, source, poisonRate,
        triggerSize, subset, seed, epochs, cleanAccuracy, attackSuccess, trainSeconds, ok, model);
  }

  void write(Path file) throws IOException {
    JSON.writeValue(file.toFile(), this);
  }

  static Manifest read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), Manifest.class);
  }
}
