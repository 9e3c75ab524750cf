package dev.spantrail.tracing.autoconfigure.suites;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.util.ClassUtils;

/** Every Spantrail auto-configuration, as listed in the module's AutoConfiguration.imports. */
public final class SpantrailAutoConfigurations {
  public static AutoConfigurations all() {
    ClassLoader classLoader = SpantrailAutoConfigurations.class.getClassLoader();
    List<Class<?>> classes = new ArrayList<>();
    for (String name : ImportCandidates.load(AutoConfiguration.class, classLoader)) {
      if (name.startsWith("dev.spantrail."))
        classes.add(ClassUtils.resolveClassName(name, classLoader));
    }
    if (classes.isEmpty()) throw new AssertionError("no Spantrail auto-configuration listed");
    return AutoConfigurations.of(classes.toArray(new Class<?>[0]));
  }

  private SpantrailAutoConfigurations() {}
}
