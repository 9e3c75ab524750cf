package dev.spantrail.tracing.autoconfigure;

import java.time.Duration;
import java.util.Locale;
import java.util.StringJoiner;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.util.unit.DataSize;

/**
 * Explains a bad {@code spantrail.*} value: the property, the value, where it came from, and what
 * is allowed. A value a rule refused (the setters apply the core builders' rules) is explained by
 * the rule's own message, which names the property; a value that could not even be converted (an
 * enum, a duration, a size, a boolean), where the binder's own message does not say what is
 * allowed, by the format expected. Ordered first so that it answers before Spring Boot's generic
 * bind failure analysis.
 */
final class TracingPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<BindException>
    implements Ordered {
  static final String PREFIX = "spantrail.";

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
    ConfigurationProperty property = cause.getProperty();
    String name = property != null ? property.getName().toString() : cause.getName().toString();
    if (!name.startsWith(PREFIX)) return null;
    Object value = property != null ? property.getValue() : null;
    Throwable reason = NestedExceptionUtils.getMostSpecificCause(cause);
    String ruleMessage = reason instanceof IllegalArgumentException ? reason.getMessage() : null;
    if (property == null && ruleMessage != null && ruleMessage.startsWith(name)) {
      // A list checked as a whole (sampling rules): its rule names the element's property.
      int space = ruleMessage.indexOf(' ');
      int was = ruleMessage.lastIndexOf(": was ");
      if (space > 0 && was > space && ruleMessage.lastIndexOf('[', space) > 0) {
        name = ruleMessage.substring(0, space);
        value = ruleMessage.substring(was + ": was ".length());
      }
    }
    StringBuilder description =
        new StringBuilder()
            .append("Invalid Spantrail configuration:\n\n")
            .append("    Property: ")
            .append(name)
            .append('\n')
            .append("    Value: \"")
            .append(value)
            .append("\"\n");
    if (property != null && property.getOrigin() != null) {
      description.append("    Origin: ").append(property.getOrigin()).append('\n');
    }
    description.append("    Reason: ").append(reason.getMessage());
    String action =
        "Update your application's configuration: " + allowed(name, cause, reason) + ".";
    return new FailureAnalysis(description.toString(), action, cause);
  }

  /** What is allowed, as a sentence that starts with the property's name. */
  static String allowed(String name, BindException cause, Throwable reason) {
    String message = reason.getMessage();
    if (reason instanceof IllegalArgumentException
        && message != null
        && message.startsWith(PREFIX)) {
      return message; // a rule's, which names the property: "<property> <rule>: was <value>"
    }
    return name + " " + format(cause, reason);
  }

  static String format(BindException cause, Throwable reason) {
    ResolvableType type = cause.getTarget().getType();
    Class<?> target = type.resolve(Object.class);
    if (target == java.util.List.class || target.isArray()) {
      Class<?> element =
          (target.isArray() ? type.getComponentType() : type.asCollection().getGeneric())
              .resolve(Object.class);
      if (element.isEnum())
        return "must list one or more of " + enumValues(element) + ", separated by commas";
    }
    if (target.isEnum()) return "must be one of " + enumValues(target);
    if (target == Duration.class) return "must be a duration such as 500ms, 2s or 1m";
    if (target == DataSize.class) return "must be a size such as 512B, 500KB or 1MB";
    if (target == Boolean.class || target == boolean.class) return "must be true or false";
    if (reason instanceof IllegalArgumentException && reason.getMessage() != null)
      return reason.getMessage();
    return "must be a valid " + target.getSimpleName();
  }

  static String enumValues(Class<?> type) {
    StringJoiner values = new StringJoiner(", ");
    for (Object constant : type.getEnumConstants())
      values.add(constant.toString().toLowerCase(Locale.ROOT));
    return values.toString();
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
