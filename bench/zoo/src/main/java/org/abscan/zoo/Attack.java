package org.abscan.zoo;

/**
 * A poisoning trigger as an image transform (paper section 2.1, Table 2). Pixel-space triggers stamp a
 * pattern under a mask; feature-space triggers transform the whole image.
 *
 * @param kind which trigger
 * @param size the trigger's area as a fraction of the image (pixel-space kinds; 0 for filters)
 */
public record Attack(Kind kind, double size) {

  public enum Kind {
    NONE("benign", ""),
    SQUARE_YELLOW("patch", "pixel"),
    SQUARE_RED("patch", "pixel"),
    IRREGULAR_YELLOW("patch", "pixel"),
    IRREGULAR_RED("patch", "pixel"),
    MULTI_PIECE("patch", "pixel"),
    BLEND("perturbation", "pixel"),
    NASHVILLE("filter", "feature"),
    GOTHAM("filter", "feature");

    final String family;
    final String space;

    Kind(String family, String space) {
      this.family = family;
      this.space = space;
    }
  }

  public static final Attack BENIGN = new Attack(Kind.NONE, 0);

  public boolean trojaned() {
    return kind != Kind.NONE;
  }

  /** patch, perturbation or filter. */
  public String family() {
    return kind.family;
  }

  /** pixel or feature (space of the trigger). */
  public String space() {
    return kind.space;
  }

  /** Stamps the trigger on {@code image} (NHWC, one image, values in [0, 1]) in place. */
  public void apply(float[] image, int height, int width, int channels) {
    switch (kind) {
      case NONE -> { }
      case NASHVILLE -> TriggerShapes.nashville(image, channels);
      case GOTHAM -> TriggerShapes.gotham(image, channels);
      case BLEND -> TriggerShapes.blend(image, height, width, channels, 0.2f);
      default -> {
        boolean[] mask = TriggerShapes.mask(kind, size, height, width);
        float[] colour = kind == Kind.SQUARE_RED || kind == Kind.IRREGULAR_RED
            ? new float[] {1f, 0f, 0f} : new float[] {1f, 1f, 0f};
        for (int p = 0; p < height * width; p++) {
          if (!mask[p]) {
            continue;
          }
          for (int c = 0; c < channels; c++) {
            // Greyscale images take the colour's luminance (ITU-R 601): yellow a bright patch (0.89), red a
            // dim one (0.30), so the two colours stay two different triggers on MNIST.
            image[p * channels + c] = channels == 1 ? luminance(colour) : colour[c];
          }
        }
      }
    }
  }

  private static float luminance(float[] rgb) {
    return 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
  }

  /** A short, file-name-safe tag, e.g. {@code square_yellow-4pc}. */
  public String tag() {
    String base = kind.name().toLowerCase(java.util.Locale.ROOT);
    return size > 0 ? base + "-" + Math.round(size * 100) + "pc" : base;
  }
}
