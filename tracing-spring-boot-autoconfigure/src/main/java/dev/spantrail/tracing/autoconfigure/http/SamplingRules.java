package dev.spantrail.tracing.autoconfigure.http;

import dev.spantrail.tracing.autoconfigure.TracingProperties;
import dev.spantrail.tracing.sampler.Sampler;
import java.util.List;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * {@code spantrail.sampler.rules}, compiled once: which sampler decides a new trace started by a
 * request, by its path within the application (as the skip pattern sees it: dot segments resolved)
 * and method. The first rule that matches wins; null when none does (the tracer's sampler then
 * decides). With no rules, nothing is parsed or matched per request.
 */
final class SamplingRules {
  static final SamplingRules NONE = new SamplingRules(new PathPattern[0], new String[0], null);

  /** The rules as bound (and checked) from the properties; each rate rule has its own budget. */
  static SamplingRules create(List<TracingProperties.Sampler.Rule> rules) {
    if (rules == null || rules.isEmpty()) return NONE;
    int size = rules.size();
    PathPattern[] patterns = new PathPattern[size];
    String[] methods = new String[size];
    Sampler[] samplers = new Sampler[size];
    for (int i = 0; i < size; i++) {
      TracingProperties.Sampler.Rule rule = rules.get(i);
      patterns[i] = PathPatternParser.defaultInstance.parse(rule.getPath());
      methods[i] = rule.getMethod();
      samplers[i] =
          rule.getRate() != null
              ? Sampler.rateLimited(rule.getRate())
              : Sampler.probability(rule.getProbability());
    }
    return new SamplingRules(patterns, methods, samplers);
  }

  final PathPattern[] patterns;
  final String[] methods; // null element: any method
  final Sampler[] samplers;

  SamplingRules(PathPattern[] patterns, String[] methods, Sampler[] samplers) {
    this.patterns = patterns;
    this.methods = methods;
    this.samplers = samplers;
  }

  boolean isEmpty() {
    return patterns.length == 0;
  }

  /**
   * The sampler of the first rule matching this request, or null.
   *
   * @param pathWithinApplication the path without the context or base path, as received
   */
  Sampler sampler(String pathWithinApplication, String method) {
    if (patterns.length == 0 || pathWithinApplication == null) return null;
    PathContainer path = PathContainer.parsePath(SkipPattern.normalize(pathWithinApplication));
    for (int i = 0; i < patterns.length; i++) {
      String ruleMethod = methods[i];
      if (ruleMethod != null && !ruleMethod.equals(method)) continue;
      if (patterns[i].matches(path)) return samplers[i];
    }
    return null;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("SamplingRules{");
    for (int i = 0; i < patterns.length; i++) {
      if (i > 0) out.append(", ");
      if (methods[i] != null) out.append(methods[i]).append(' ');
      out.append(patterns[i].getPatternString()).append('=').append(samplers[i]);
    }
    return out.append('}').toString();
  }
}
