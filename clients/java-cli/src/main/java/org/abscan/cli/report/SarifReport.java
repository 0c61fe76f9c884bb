package org.abscan.cli.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Verdict;

/**
 * The scan as a SARIF 2.1.0 log, for code-scanning dashboards: one run of the tool "abscan" with one rule,
 * and one error-level result when the model is trojaned (none when benign). The result points at the model
 * file and carries the target label, the best REASR and the neuron and trigger behind it, in the message for
 * people and in {@code properties} for tools.
 */
public final class SarifReport {
  public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  public static final String RULE_ID = "abscan/trojaned-model";

  private SarifReport() {}

  /**
   * @param modelUri where the model is, as a URI reference (a relative path, a {@code file:} URI, or
   *     {@code sha256:<hex>} when only the daemon knows the file)
   * @param toolVersion abscan's version, for {@code tool.driver.version}
   */
  public static String render(ScanReport report, String modelUri, String toolVersion) {
    JsonObject run = new JsonObject();
    run.add("tool", tool(toolVersion));
    JsonObject artifact = new JsonObject();
    artifact.add("location", location(modelUri));
    if (!report.getModelSha256().isEmpty()) {
      JsonObject hashes = new JsonObject();
      hashes.addProperty("sha-256", report.getModelSha256());
      artifact.add("hashes", hashes);
    }
    JsonArray artifacts = new JsonArray();
    artifacts.add(artifact);
    run.add("artifacts", artifacts);
    JsonArray results = new JsonArray();
    if (report.getVerdict() == Verdict.VERDICT_TROJANED) {
      results.add(result(report, modelUri));
    }
    run.add("results", results);
    JsonObject invocation = new JsonObject();
    invocation.addProperty("executionSuccessful", true);
    JsonArray invocations = new JsonArray();
    invocations.add(invocation);
    run.add("invocations", invocations);
    JsonObject runProperties = new JsonObject();
    runProperties.addProperty("scanId", report.getScanId());
    runProperties.addProperty("verdict", ReportSummary.verdictName(report.getVerdict()));
    run.add("properties", runProperties);

    JsonObject log = new JsonObject();
    log.addProperty("$schema", SCHEMA);
    log.addProperty("version", "2.1.0");
    JsonArray runs = new JsonArray();
    runs.add(run);
    log.add("runs", runs);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(log) + "\n";
  }

  private static JsonObject tool(String version) {
    JsonObject rule = new JsonObject();
    rule.addProperty("id", RULE_ID);
    rule.addProperty("name", "TrojanedModel");
    rule.add("shortDescription", text("The model carries a backdoor (trojan)."));
    rule.add("fullDescription", text("ABS (Artificial Brain Stimulation) found an inner neuron that alone "
        + "lifts one label far above the rest, and a trigger reverse-engineered from it flips held-out benign "
        + "images to that label at least as often as the REASR threshold."));
    rule.add("help", text("Do not deploy the model. The HTML report (--html) shows the reversed trigger "
        + "and the neuron stimulation functions; retrain from trusted data or remove the backdoor."));
    JsonObject configuration = new JsonObject();
    configuration.addProperty("level", "error");
    rule.add("defaultConfiguration", configuration);
    JsonArray rules = new JsonArray();
    rules.add(rule);
    JsonObject driver = new JsonObject();
    driver.addProperty("name", "abscan");
    driver.addProperty("version", version);
    driver.add("rules", rules);
    JsonObject tool = new JsonObject();
    tool.add("driver", driver);
    return tool;
  }

  private static JsonObject result(ScanReport report, String modelUri) {
    JsonObject result = new JsonObject();
    result.addProperty("ruleId", RULE_ID);
    result.addProperty("ruleIndex", 0);
    result.addProperty("level", "error");
    result.add("message", text(message(report)));
    JsonObject physical = new JsonObject();
    physical.add("artifactLocation", artifactLocation(modelUri));
    JsonObject location = new JsonObject();
    location.add("physicalLocation", physical);
    JsonArray locations = new JsonArray();
    locations.add(location);
    result.add("locations", locations);
    if (!report.getModelSha256().isEmpty()) {
      JsonObject fingerprints = new JsonObject();
      fingerprints.addProperty("modelSha256/v1", report.getModelSha256());
      result.add("partialFingerprints", fingerprints);
    }
    JsonObject properties = new JsonObject();
    if (report.hasTargetLabel()) {
      properties.addProperty("targetLabel", report.getTargetLabel());
    }
    properties.addProperty("maxReasr", report.getMaxReasr());
    properties.addProperty("threshold", report.getParameters().getThreshold());
    Candidate best = best(report);
    if (best != null) {
      properties.addProperty("layer", best.getLayer());
      properties.addProperty("neuron", best.getNeuron());
      JsonArray neurons = new JsonArray();
      best.getNeuronsList().forEach(neurons::add);
      properties.add("neurons", neurons);
      properties.addProperty("trigger", best.getTrigger());
      properties.addProperty("maskSize", best.getMaskSize());
    }
    properties.addProperty("modelSha256", report.getModelSha256());
    result.add("properties", properties);
    return result;
  }

  /** "Trojaned model: target label 0, best REASR 0.970 (threshold 0.92), conv2d_2 neuron 7, pixel trigger, ...". */
  static String message(ScanReport report) {
    StringBuilder text = new StringBuilder("Trojaned model: target label ")
        .append(report.hasTargetLabel() ? String.valueOf(report.getTargetLabel()) : "unknown")
        .append(String.format(Locale.ROOT, ", best REASR %.3f (threshold %.2f)", report.getMaxReasr(),
            report.getParameters().getThreshold()));
    Candidate best = best(report);
    if (best != null) {
      text.append(", ").append(Describe.neurons(best)).append(", ").append(best.getTrigger()).append(" trigger, ")
          .append(Describe.size(best));
    }
    return text.append('.').toString();
  }

  /** A model path as a SARIF artifact URI: relative paths stay relative (to where the scan ran). */
  public static String artifactUri(String given) {
    Path path = Path.of(given);
    if (path.isAbsolute()) {
      return path.toUri().toString();
    }
    try {
      return new URI(null, null, given.replace('\\', '/'), null).toASCIIString();
    } catch (URISyntaxException e) {
      return path.toAbsolutePath().toUri().toString();
    }
  }

  private static Candidate best(ScanReport report) {
    int best = report.getBestCandidate();
    return best >= 0 && best < report.getCandidatesCount() ? report.getCandidates(best) : null;
  }

  private static JsonObject location(String uri) {
    JsonObject location = new JsonObject();
    location.add("uri", new com.google.gson.JsonPrimitive(uri));
    return location;
  }

  private static JsonObject artifactLocation(String uri) {
    JsonObject location = location(uri);
    location.addProperty("index", 0);
    return location;
  }

  private static JsonObject text(String text) {
    JsonObject message = new JsonObject();
    message.addProperty("text", text);
    return message;
  }
}
