package dev.spantrail.tracing.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

/** Runs the failure analyzers registered in spring.factories, as Spring Boot does at startup. */
public final class FailureAnalysisSupport {
  /** Analyzers that need more of a running application than given here are left out. */
  static final SpringFactoriesLoader.FailureHandler SKIP =
      (factoryType, factoryImplementationName, failure) -> {};

  /** The first analysis, or null when no analyzer recognises the failure. */
  public static FailureAnalysis analyze(Throwable failure) {
    ArgumentResolver arguments =
        ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
            .and(Environment.class, new StandardEnvironment());
    for (FailureAnalyzer analyzer :
        SpringFactoriesLoader.forDefaultResourceLocation()
            .load(FailureAnalyzer.class, arguments, SKIP)) {
      FailureAnalysis analysis = analyzer.analyze(failure);
      if (analysis != null) return analysis;
    }
    return null;
  }

  private FailureAnalysisSupport() {}
}
