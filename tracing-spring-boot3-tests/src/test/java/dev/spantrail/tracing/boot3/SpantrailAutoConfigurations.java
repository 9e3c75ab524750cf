package dev.spantrail.tracing.boot3;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.util.ClassUtils;

/**
 * Spantrail's auto-configurations as a Boot 3.5 application loads them: from the starter jar's
 * {@code AutoConfiguration.imports}, so these tests depend on the contract, not on class names.
 */
final class SpantrailAutoConfigurations {
  static final String PREFIX = "dev.spantrail.";

  /** Every Spantrail auto-configuration, plus the given Spring Boot ones. */
  static AutoConfigurations with(Class<?>... bootAutoConfigurations) {
    List<Class<?>> classes = new ArrayList<>(spantrail());
    classes.addAll(List.of(bootAutoConfigurations));
    return AutoConfigurations.of(classes.toArray(new Class<?>[0]));
  }

  static List<Class<?>> spantrail() {
    ClassLoader loader = SpantrailAutoConfigurations.class.getClassLoader();
    List<Class<?>> result = new ArrayList<>();
    for (String name : ImportCandidates.load(AutoConfiguration.class, loader)) {
      if (name.startsWith(PREFIX)) result.add(ClassUtils.resolveClassName(name, loader));
    }
    if (result.isEmpty()) throw new IllegalStateException("no Spantrail auto-configuration found");
    return result;
  }

  private SpantrailAutoConfigurations() {}
}
