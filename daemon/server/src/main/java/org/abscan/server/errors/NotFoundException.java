package org.abscan.server.errors;

/**
 * A named resource (model, scan, server path) does not exist. The SPI's categories describe bad input and bad
 * models; "does not exist" is the server's own concern, so it lives here.
 */
public final class NotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String resourceType;
  private final String resourceName;

  public NotFoundException(String resourceType, String resourceName) {
    super(resourceType + " not found: " + resourceName);
    this.resourceType = resourceType;
    this.resourceName = resourceName;
  }

  /** e.g. "model", "scan", "path". */
  public String resourceType() {
    return resourceType;
  }

  public String resourceName() {
    return resourceName;
  }
}
