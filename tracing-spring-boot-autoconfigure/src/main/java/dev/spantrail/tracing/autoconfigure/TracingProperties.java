package dev.spantrail.tracing.autoconfigure;

import dev.spantrail.tracing.internal.Checks;
import dev.spantrail.tracing.propagation.PropagationType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.http.HttpMethod;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Configuration of Spantrail tracing: every {@code spantrail.*} key.
 *
 * <p>Setters reject bad values with the very rule of the core builder the value goes to, named by
 * the full property: {@code spantrail.sampler.probability must be between 0.0 and 1.0: was 1.5}.
 * Spring Boot's binder then stops startup, and {@link TracingPropertiesFailureAnalyzer} explains.
 * Only what the builders do not have is checked here: sizes fitting the builders' {@code int}, and
 * the skip pattern's syntax.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("spantrail")
public class TracingProperties {
  /** Whether to trace at all: false registers nothing. */
  private boolean enabled = true;

  /**
   * Name this application's spans are reported under (Zipkin's localEndpoint.serviceName). Defaults
   * to spring.application.name, else "application".
   */
  private String serviceName;

  private final Sampler sampler = new Sampler();
  private final Propagation propagation = new Propagation();
  private final Baggage baggage = new Baggage();
  private final LogCorrelation logCorrelation = new LogCorrelation();
  private final Zipkin zipkin = new Zipkin();
  private final Reporter reporter = new Reporter();
  private final Web web = new Web();
  private final Client client = new Client();
  private final Annotation annotation = new Annotation();
  private final Async async = new Async();
  private final Grpc grpc = new Grpc();
  private final Recent recent = new Recent();
  private final Messaging messaging = new Messaging();
  private final Observation observation = new Observation();
  private final Jdbc jdbc = new Jdbc();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  public Sampler getSampler() {
    return sampler;
  }

  public Propagation getPropagation() {
    return propagation;
  }

  public Baggage getBaggage() {
    return baggage;
  }

  public LogCorrelation getLogCorrelation() {
    return logCorrelation;
  }

  public Zipkin getZipkin() {
    return zipkin;
  }

  public Reporter getReporter() {
    return reporter;
  }

  public Web getWeb() {
    return web;
  }

  public Client getClient() {
    return client;
  }

  public Annotation getAnnotation() {
    return annotation;
  }

  public Async getAsync() {
    return async;
  }

  public Grpc getGrpc() {
    return grpc;
  }

  public Recent getRecent() {
    return recent;
  }

  public Messaging getMessaging() {
    return messaging;
  }

  public Observation getObservation() {
    return observation;
  }

  public Jdbc getJdbc() {
    return jdbc;
  }

  /** Which new traces are recorded. */
  public static class Sampler {
    /** Fraction of new traces recorded, from 0.0 to 1.0. */
    private double probability = 1.0;

    /** At most this many new traces per second; when set, overrides probability. */
    private Integer rate;

    public double getProbability() {
      return probability;
    }

    public void setProbability(double probability) {
      this.probability = Checks.probability("spantrail.sampler.probability", probability);
    }

    public Integer getRate() {
      return rate;
    }

    public void setRate(Integer rate) {
      if (rate != null) Checks.zeroOrMore("spantrail.sampler.rate", rate.intValue());
      this.rate = rate;
    }

    /**
     * Per-route sampling of new traces started by a Spring MVC or WebFlux request: the first rule
     * whose path (and method, when set) matches decides; no match leaves it to probability or rate.
     * A caller's decision still wins.
     */
    private List<Rule> rules = new ArrayList<>();

    /**
     * Whether a caller's sampling decision (its sampled and debug flags) is followed by Spring MVC
     * and WebFlux requests. False makes the rules and the sampler decide every request, keeping the
     * caller's trace ID: for services reachable by callers that are not trusted, who could
     * otherwise force every request to be recorded, past any rate.
     */
    private boolean trustInbound = true;

    public List<Rule> getRules() {
      return rules;
    }

    /** Checks each rule as a whole, once bound: only the list knows a rule's index. */
    public void setRules(List<Rule> rules) {
      List<Rule> checked = rules != null ? rules : new ArrayList<>();
      for (int i = 0; i < checked.size(); i++) {
        Rule rule = checked.get(i);
        if (rule != null) rule.check("spantrail.sampler.rules[" + i + "]");
      }
      this.rules = checked;
    }

    public boolean isTrustInbound() {
      return trustInbound;
    }

    public void setTrustInbound(boolean trustInbound) {
      this.trustInbound = trustInbound;
    }

    /** One sampling rule: a path pattern, an optional method, and a probability or a rate. */
    public static class Rule {
      /** Request path pattern, in Spring's PathPattern syntax, such as /api/** or /users/{id}. */
      private String path;

      /** HTTP method the rule applies to, such as GET; unset: every method. */
      private String method;

      /** Fraction of matching new traces recorded, from 0.0 to 1.0; set this or rate. */
      private Double probability;

      /** At most this many matching new traces per second; set this or probability. */
      private Integer rate;

      public String getPath() {
        return path;
      }

      public void setPath(String path) {
        this.path = path;
      }

      public String getMethod() {
        return method;
      }

      public void setMethod(String method) {
        this.method = method;
      }

      public Double getProbability() {
        return probability;
      }

      public void setProbability(Double probability) {
        this.probability = probability;
      }

      public Integer getRate() {
        return rate;
      }

      public void setRate(Integer rate) {
        this.rate = rate;
      }

      /** Refuses a rule that could not decide, naming the indexed property ({@code name}). */
      void check(String name) {
        String pathProblem = PathRules.patternProblem(path);
        if (pathProblem != null)
          throw Checks.invalid(
              name + ".path", "must be a path pattern such as /api/**" + pathProblem, path);
        if (method != null && !PathRules.isStandardMethod(method)) {
          throw Checks.invalid(
              name + ".method", "must be one of " + PathRules.standardMethods(), method);
        }
        if (probability != null && rate != null) {
          throw Checks.invalid(
              name,
              "must set either probability or rate",
              "both (" + probability + ", " + rate + ")");
        }
        if (probability == null && rate == null)
          throw Checks.invalid(name, "must set either probability or rate", "neither");
        if (probability != null) Checks.probability(name + ".probability", probability);
        if (rate != null) Checks.zeroOrMore(name + ".rate", rate.intValue());
      }
    }
  }

  /**
   * Path patterns and method names as Spring's web layer reads them. Only touched when spring-web
   * is present: without it no request is traced, and rules are not checked.
   */
  static final class PathRules {
    static final boolean WEB_PRESENT =
        ClassUtils.isPresent(
            "org.springframework.web.util.pattern.PathPatternParser",
            TracingProperties.class.getClassLoader());

    /** Null when {@code pattern} parses, else why not (" (reason)"). */
    static String patternProblem(String pattern) {
      if (pattern == null || pattern.isBlank()) return " (none given)";
      if (pattern.charAt(0) != '/') return " (starting with /)";
      return WEB_PRESENT ? Web.problem(pattern) : null;
    }

    static boolean isStandardMethod(String method) {
      return !WEB_PRESENT || Web.isStandardMethod(method);
    }

    static String standardMethods() {
      return WEB_PRESENT ? Web.standardMethods() : "";
    }

    /** Loaded only when spring-web is on the classpath. */
    static final class Web {
      static String problem(String pattern) {
        try {
          PathPatternParser.defaultInstance.parse(pattern);
          return null;
        } catch (PatternParseException e) {
          return " (" + e.getMessage() + ")";
        }
      }

      static boolean isStandardMethod(String method) {
        for (HttpMethod standard : HttpMethod.values()) {
          if (standard.name().equals(method)) return true;
        }
        return false;
      }

      static String standardMethods() {
        StringJoiner names = new StringJoiner(", ");
        for (HttpMethod standard : HttpMethod.values()) names.add(standard.name());
        return names.toString();
      }
    }
  }

  /** Trace header formats. */
  public static class Propagation {
    /**
     * Formats injected into outgoing requests and accepted from incoming ones, in order of
     * precedence: w3c, b3 (sends the multi-header form, accepts both forms), b3-multi, b3-single,
     * jaeger.
     */
    private List<PropagationType> type =
        new ArrayList<>(List.of(PropagationType.W3C, PropagationType.B3));

    /** Formats injected into outgoing requests. Defaults to type. */
    private List<PropagationType> produce;

    /** Formats accepted from incoming requests, in order of precedence. Defaults to type. */
    private List<PropagationType> consume;

    public List<PropagationType> getType() {
      return type;
    }

    public void setType(List<PropagationType> type) {
      this.type = oneOrMore("spantrail.propagation.type", type);
    }

    public List<PropagationType> getProduce() {
      return produce;
    }

    public void setProduce(List<PropagationType> produce) {
      this.produce = oneOrMore("spantrail.propagation.produce", produce);
    }

    public List<PropagationType> getConsume() {
      return consume;
    }

    public void setConsume(List<PropagationType> consume) {
      this.consume = oneOrMore("spantrail.propagation.consume", consume);
    }

    /** The formats to inject: produce when set, else type. */
    public List<PropagationType> effectiveProduce() {
      return produce != null ? produce : type;
    }

    /** The formats to accept: consume when set, else type. */
    public List<PropagationType> effectiveConsume() {
      return consume != null ? consume : type;
    }

    static List<PropagationType> oneOrMore(String name, List<PropagationType> types) {
      return Checks.oneOrMoreOf(name, types, PropagationType.allowedValues());
    }
  }

  /** Baggage: key-value pairs that travel with the trace. */
  public static class Baggage {
    /** Baggage keys accepted from and sent to other processes. Empty: all keys. */
    private List<String> remoteFields = new ArrayList<>();

    /**
     * Baggage keys copied into the logging MDC; their values with control characters escaped and at
     * most 256 characters.
     */
    private List<String> correlationFields = new ArrayList<>();

    /** Most baggage entries accepted from an inbound request; the excess is dropped. */
    private int maxEntries = 64;

    /**
     * Most bytes of baggage (keys and values) accepted from an inbound request; the excess is
     * dropped.
     */
    private DataSize maxBytes = DataSize.ofBytes(8192);

    public List<String> getRemoteFields() {
      return remoteFields;
    }

    public void setRemoteFields(List<String> remoteFields) {
      this.remoteFields = Checks.noBlankKey("spantrail.baggage.remote-fields", remoteFields);
    }

    public List<String> getCorrelationFields() {
      return correlationFields;
    }

    public void setCorrelationFields(List<String> correlationFields) {
      this.correlationFields = correlationFields;
    }

    public int getMaxEntries() {
      return maxEntries;
    }

    public void setMaxEntries(int maxEntries) {
      this.maxEntries = Checks.zeroOrMore("spantrail.baggage.max-entries", maxEntries);
    }

    public DataSize getMaxBytes() {
      return maxBytes;
    }

    public void setMaxBytes(DataSize maxBytes) {
      String name = "spantrail.baggage.max-bytes";
      Checks.zeroOrMore(name, bytes(name, maxBytes));
      this.maxBytes = maxBytes;
    }
  }

  /** Trace IDs in the logging MDC. */
  public static class LogCorrelation {
    /** Whether to put traceId and spanId in the logging MDC while a span is active. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Reporting to Zipkin. */
  public static class Zipkin {
    /** Whether to report spans to Zipkin. */
    private boolean enabled = true;

    /** Where spans are sent over HTTP. */
    private String endpoint = "http://localhost:9411/api/v2/spans";

    /** How spans are encoded. */
    private Encoding encoding = Encoding.JSON;

    /** How spans are sent. */
    private SenderType sender = SenderType.HTTP;

    /** Connect timeout of the HTTP sender. */
    private Duration connectTimeout = Duration.ofSeconds(1);

    /** Read timeout of the HTTP sender. */
    private Duration readTimeout = Duration.ofSeconds(10);

    private final Kafka kafka = new Kafka();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(String endpoint) {
      String trimmed = endpoint != null ? endpoint.trim() : null; // a binder does not trim
      Checks.httpUrl("spantrail.zipkin.endpoint", trimmed);
      this.endpoint = trimmed;
    }

    public Encoding getEncoding() {
      return encoding;
    }

    public void setEncoding(Encoding encoding) {
      this.encoding = encoding;
    }

    public SenderType getSender() {
      return sender;
    }

    public void setSender(SenderType sender) {
      this.sender = sender;
    }

    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = Checks.positive("spantrail.zipkin.connect-timeout", connectTimeout);
    }

    public Duration getReadTimeout() {
      return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
      this.readTimeout = Checks.positive("spantrail.zipkin.read-timeout", readTimeout);
    }

    public Kafka getKafka() {
      return kafka;
    }

    /** Span encodings Zipkin accepts. */
    public enum Encoding {
      /** Zipkin v2 JSON. */
      JSON,
      /** Zipkin v2 protocol buffers. */
      PROTO3
    }

    /** Transports to Zipkin. */
    public enum SenderType {
      /** HTTP POST to the endpoint. */
      HTTP,
      /** A Kafka topic (needs io.zipkin.reporter2:zipkin-sender-kafka). */
      KAFKA
    }

    /** The Kafka sender. */
    public static class Kafka {
      /** Kafka bootstrap servers. */
      private String bootstrapServers = "localhost:9092";

      /** Topic spans are sent to. */
      private String topic = "zipkin";

      public String getBootstrapServers() {
        return bootstrapServers;
      }

      public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
      }

      public String getTopic() {
        return topic;
      }

      public void setTopic(String topic) {
        this.topic = topic;
      }
    }
  }

  /** The asynchronous reporter between finished spans and the sender. */
  public static class Reporter {
    /** Most spans waiting to be sent; past it spans are dropped and counted. */
    private int queuedMaxSpans = 10000;

    /**
     * Most bytes of spans waiting to be sent, estimated from the text each holds (tag and log
     * values as recorded, before they are cut); past it spans are dropped and counted.
     */
    private DataSize queuedMaxBytes = DataSize.ofMegabytes(8); // the reporter's default

    /** Most bytes in one message to Zipkin. */
    private DataSize messageMaxBytes = DataSize.ofKilobytes(500);

    /**
     * Longest a span waits in a batch before it is sent; under 10ms (other than 0) counts as 10ms.
     * 0 turns sending off until shutdown (or an explicit flush): spans past queued-max-spans are
     * dropped meanwhile.
     */
    private Duration messageTimeout = Duration.ofSeconds(1);

    /** Longest shutdown waits to send spans still queued. */
    private Duration closeTimeout = Duration.ofSeconds(5);

    public int getQueuedMaxSpans() {
      return queuedMaxSpans;
    }

    public void setQueuedMaxSpans(int queuedMaxSpans) {
      this.queuedMaxSpans = Checks.oneOrMore("spantrail.reporter.queued-max-spans", queuedMaxSpans);
    }

    public DataSize getQueuedMaxBytes() {
      return queuedMaxBytes;
    }

    public void setQueuedMaxBytes(DataSize queuedMaxBytes) {
      String name = "spantrail.reporter.queued-max-bytes";
      if (queuedMaxBytes == null) throw new NullPointerException(name + " == null");
      Checks.oneOrMore(name, queuedMaxBytes.toBytes());
      this.queuedMaxBytes = queuedMaxBytes;
    }

    public DataSize getMessageMaxBytes() {
      return messageMaxBytes;
    }

    public void setMessageMaxBytes(DataSize messageMaxBytes) {
      String name = "spantrail.reporter.message-max-bytes";
      Checks.oneOrMore(name, bytes(name, messageMaxBytes));
      this.messageMaxBytes = messageMaxBytes;
    }

    public Duration getMessageTimeout() {
      return messageTimeout;
    }

    public void setMessageTimeout(Duration messageTimeout) {
      this.messageTimeout = Checks.zeroOrMore("spantrail.reporter.message-timeout", messageTimeout);
    }

    public Duration getCloseTimeout() {
      return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
      this.closeTimeout = Checks.zeroOrMore("spantrail.reporter.close-timeout", closeTimeout);
    }
  }

  /** Server spans for Spring MVC and WebFlux. */
  public static class Web {
    /** Whether to record server spans for Spring MVC (servlet) and WebFlux requests. */
    private boolean enabled = true;

    /**
     * Request paths (regular expression, matched against the path without the context path, with
     * dot segments resolved) that get no span. Unset: the actuator endpoints, the favicon and
     * static assets. Set: exactly this pattern (empty: none). The traces endpoint and its page are
     * never traced, whatever this says.
     */
    private String skipPattern;

    /** Favicon and static assets: what the unset pattern skips besides the actuator endpoints. */
    public static final String DEFAULT_SKIP_PATTERN =
        "/favicon\\.ico|.*\\.(css|js|map|png|jpe?g|gif|ico|svg|webp|woff2?|ttf|eot)|/webjars/.*";

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getSkipPattern() {
      return skipPattern;
    }

    public void setSkipPattern(String skipPattern) {
      if (skipPattern != null && !skipPattern.isEmpty()) {
        try {
          java.util.regex.Pattern.compile(skipPattern);
        } catch (java.util.regex.PatternSyntaxException e) {
          // No cause: the analysis reports the most specific cause, and this message says more.
          throw Checks.invalid(
              "spantrail.web.skip-pattern",
              "must be a regular expression ("
                  + e.getDescription()
                  + " near index "
                  + e.getIndex()
                  + ")",
              skipPattern);
        }
      }
      this.skipPattern = skipPattern;
    }
  }

  /** Client spans and trace headers for RestTemplate, RestClient and WebClient. */
  public static class Client {
    /**
     * Whether to record client spans and inject trace headers for RestTemplate, RestClient and
     * WebClient.
     */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** The @Traced advice. */
  public static class Annotation {
    /** Whether to record spans for methods annotated with @Traced. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Context carried into @Async methods and Spring-managed executors. */
  public static class Async {
    /**
     * Whether to carry the active span into @Async methods and Spring-managed executors and
     * schedulers.
     */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** gRPC client and server interceptors. */
  public static class Grpc {
    /** Whether to trace gRPC calls when grpc-java is on the classpath. */
    private boolean enabled = true;

    /**
     * Whether to log request and response messages on gRPC spans (event=message, the message's text
     * form cut at 4096 characters), for unary and streaming calls. Off by default: payloads may
     * hold secrets.
     */
    private boolean logPayloads = false;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isLogPayloads() {
      return logPayloads;
    }

    public void setLogPayloads(boolean logPayloads) {
      this.logPayloads = logPayloads;
    }
  }

  /** The latest finished spans kept in memory, for the traces actuator endpoint and its page. */
  public static class Recent {
    /** Whether to keep the latest finished spans in memory (a bounded ring). */
    private boolean enabled = true;

    /** Most finished spans kept; each new one overwrites the oldest. */
    private int maxSpans = 2000;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getMaxSpans() {
      return maxSpans;
    }

    public void setMaxSpans(int maxSpans) {
      this.maxSpans = Checks.oneOrMore("spantrail.recent.max-spans", maxSpans);
    }
  }

  /** PRODUCER and CONSUMER spans for Spring Kafka. */
  public static class Messaging {
    /**
     * Whether to record PRODUCER and CONSUMER spans, and carry the trace context in record headers,
     * for Spring Kafka (KafkaTemplate, @KafkaListener, listener containers).
     */
    private boolean enabled = true;

    /** How a consumer span refers to the producer's span: follows-from or child-of. */
    private ConsumerReference consumerReference = ConsumerReference.FOLLOWS_FROM;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public ConsumerReference getConsumerReference() {
      return consumerReference;
    }

    public void setConsumerReference(ConsumerReference consumerReference) {
      if (consumerReference == null)
        throw new NullPointerException("spantrail.messaging.consumer-reference == null");
      this.consumerReference = consumerReference;
    }

    /** OpenTracing's reference types, as a consumer span refers to its producer's span. */
    public enum ConsumerReference {
      /** FollowsFrom: the producer does not wait for the consumer (the default). */
      FOLLOWS_FROM,
      /** ChildOf, for tools that show only parent-child links. */
      CHILD_OF
    }
  }

  /** Micrometer Observations (Spring's own instrumentation) as spans. */
  public static class Observation {
    /**
     * Whether Micrometer Observations (Spring Security, Spring Data, messaging, @Scheduled, ...)
     * become spans; also provides an ObservationRegistry when the application has none.
     */
    private boolean enabled = true;

    /**
     * Observation names that get no span: globs where * matches any characters and ? one. The
     * default leaves out Spring Security's filter-chain, authentication, authorization and
     * secured-request observations, 5 per authenticated request.
     */
    private List<String> exclude = new ArrayList<>(List.of("spring.security.*"));

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public List<String> getExclude() {
      return exclude;
    }

    public void setExclude(List<String> exclude) {
      this.exclude = exclude == null ? new ArrayList<>() : exclude;
    }
  }

  /** JDBC statements as CLIENT spans. */
  public static class Jdbc {
    /** Whether each JDBC statement run through a DataSource bean gets a CLIENT span. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /**
   * The bytes of a size, refused when they would not fit the {@code int} the builders take: that
   * limit is the starter's, as sizes are. The lower bound is the builder's rule, which the caller
   * applies to what this returns, before it is narrowed.
   */
  static long bytes(String name, DataSize size) {
    if (size == null) throw new NullPointerException(name + " == null");
    if (size.toBytes() > Integer.MAX_VALUE)
      throw Checks.invalid(name, "must be less than 2GB", size);
    return size.toBytes();
  }
}
