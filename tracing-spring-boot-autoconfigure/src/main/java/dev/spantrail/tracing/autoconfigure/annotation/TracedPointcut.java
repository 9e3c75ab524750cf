package dev.spantrail.tracing.autoconfigure.annotation;

import dev.spantrail.tracing.annotation.Traced;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.MethodMatcher;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.StaticMethodMatcher;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * Matches methods annotated {@link Traced} (on the class, a superclass or an interface), and every
 * public method, other than {@link Object}'s, of a type annotated {@link Traced} (also inherited
 * from a superclass or an interface).
 */
final class TracedPointcut {
  static Pointcut create() {
    Pointcut onMethods = new AnnotationMatchingPointcut(null, Traced.class, true);
    ClassFilter onType = new AnnotationMatchingPointcut(Traced.class, true).getClassFilter();
    return new ComposablePointcut(onType, PublicNotObjectMethod.INSTANCE).union(onMethods);
  }

  static final class PublicNotObjectMethod extends StaticMethodMatcher {
    static final MethodMatcher INSTANCE = new PublicNotObjectMethod();

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
      return Modifier.isPublic(method.getModifiers()) && method.getDeclaringClass() != Object.class;
    }

    @Override
    public String toString() {
      return "public, not declared by Object";
    }
  }

  private TracedPointcut() {}
}
