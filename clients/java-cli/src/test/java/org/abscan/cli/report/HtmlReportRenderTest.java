package org.abscan.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.abscan.cli.testing.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Opens a generated HTML report in headless Chromium (src/test/sh/chromium-screenshot.sh, which installs the
 * Debian package when it can) and checks the screenshot: the page rendered, its styles applied, no console
 * errors. The screenshot stays in target/html-render/ for people to look at. Skipped, saying why, where
 * Chromium is neither installed nor installable.
 */
class HtmlReportRenderTest {
  private static final Path OUT = Path.of("target", "html-render");
  private static final Path SCRIPT = Path.of("src", "test", "sh", "chromium-screenshot.sh");
  private static final int WIDTH = 1280;
  private static final int HEIGHT = 2000;
  /** Chromium's log lines about the page (not its dbus/GPU noise) that mean it is broken; the report has no
   *  scripts, so any console message at all is one. */
  private static final List<String> PAGE_ERRORS =
      List.of("Uncaught", ":CONSOLE", "ERR_FILE_NOT_FOUND", "Not allowed to load local resource",
          "Refused to", "net::ERR_");

  @Test
  void reportRendersInHeadlessChromium() throws Exception {
    Files.createDirectories(OUT);
    Path page = OUT.resolve("report.html");
    Path shot = OUT.resolve("report.png");
    Path log = OUT.resolve("chromium.log");
    Files.deleteIfExists(shot);
    Files.writeString(page, HtmlReport.render(Fixtures.trojanedReport()), StandardCharsets.UTF_8);

    int exit = screenshot(page, shot, log);
    String chromiumLog = Files.readString(log, StandardCharsets.UTF_8);
    Assumptions.assumeTrue(exit != 77,
        () -> "headless Chromium absent and not installable here; HTML render check skipped: " + chromiumLog.strip());
    assertEquals(0, exit, () -> "chromium failed; its log:\n" + chromiumLog);
    for (String line : chromiumLog.lines().toList()) {
      for (String error : PAGE_ERRORS) {
        assertTrue(!line.contains(error), () -> "the page logged an error: " + line);
      }
    }

    assertTrue(Files.size(shot) > 10_000, "a screenshot of a page with content, not a blank one: " + shot);
    BufferedImage image = ImageIO.read(shot.toFile());
    assertEquals(WIDTH, image.getWidth());
    assertEquals(HEIGHT, image.getHeight());
    Set<Integer> colours = new HashSet<>();
    long inked = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        inked += rgb != 0xffffff ? 1 : 0;
      }
    }
    assertTrue(colours.size() > 50, "text, tables and plots give many colours; got " + colours.size());
    assertTrue(inked > 0.03 * (WIDTH / 2) * (HEIGHT / 2), "the page is mostly blank: " + inked + " inked pixels");
    assertTrue(colours.contains(0xfadbd8), "the TROJANED badge's background (the stylesheet applied)");
    assertTrue(colours.contains(0xd62728), "the target label's NSF curve in red (the inline SVG drew)");
  }

  private static int screenshot(Path page, Path shot, Path log) throws IOException, InterruptedException {
    Process chromium = new ProcessBuilder("bash", SCRIPT.toString(), page.toString(), shot.toAbsolutePath().toString(),
        WIDTH + "," + HEIGHT)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    // Installing chromium (CI) takes a few minutes; rendering takes a second or two.
    if (!chromium.waitFor(10, TimeUnit.MINUTES)) {
      chromium.destroyForcibly();
      throw new AssertionError("chromium did not finish within 10 minutes; its log: " + log.toAbsolutePath());
    }
    return chromium.exitValue();
  }
}
